namespace Skyport.Features.Email;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}
