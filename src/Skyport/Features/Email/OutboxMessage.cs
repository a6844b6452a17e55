using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Skyport.Features.Email;

/// <summary>
/// An email, stored in the same transaction as the work that wrote it (<see cref="MailQueue"/>), then delivered over SMTP
/// by <see cref="MailDispatcher"/> or, with no SMTP server configured, kept for a broker administrator to read.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public required string To { get; init; }
    public required string Subject { get; init; }

    /// <summary>
    /// Data Protection ciphertext (see <see cref="OutboxProtection"/>); in clear only in rows stored before that, until the next
    /// start. Erased (empty) once delivered or refused: bodies carry generated passwords, which are kept no longer than needed.
    /// </summary>
    public required string Body { get; set; }

    public bool BodyProtected { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Written while an SMTP server was configured; the others are only kept here, and never sent later.</summary>
    public bool Deliver { get; init; }

    /// <summary>When the SMTP server accepted it (wall clock).</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When the SMTP server refused it for good (a bad address): it is not tried again.</summary>
    public DateTimeOffset? RefusedAt { get; set; }

    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Not tried again before this instant (wall clock) after a failed attempt.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The instance delivering it; another takes over once that one's heartbeat stops.</summary>
    public Guid? ClaimedBy { get; set; }

    /// <summary>The <c>Message-ID</c> every delivery attempt of this email carries, so that a second delivery is recognisably the same email.</summary>
    public string MessageId(string fromDomain) => $"{Id:N}@{fromDomain}";
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox");
        builder.Property(m => m.To).HasMaxLength(254);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.HasIndex(m => m.CreatedAt);
        builder.HasIndex(m => new { m.SentAt, m.RefusedAt, m.NextAttemptAt });
    }
}
