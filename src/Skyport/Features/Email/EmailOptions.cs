namespace Skyport.Features.Email;

public sealed class EmailOptions
{
    public string From { get; set; } = "Skyport <no-reply@skyport.local>";
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Whether emails leave over SMTP; without a host they stay in the outbox a broker administrator reads.</summary>
    public bool Delivers => !string.IsNullOrWhiteSpace(Smtp.Host);

    public sealed class SmtpOptions
    {
        public string? Host { get; set; }
        public int Port { get; set; } = 25;
        public SmtpSecurity Security { get; set; } = SmtpSecurity.None;
        public string? User { get; set; }
        public string? Password { get; set; }
    }
}
