namespace Skyport.PartnerCenter;

public enum PartnerCenterMode
{
    /// <summary>Start the emulator in-process on a free loopback port and talk to it over HTTP.</summary>
    Embedded,
    /// <summary>Talk to the URLs given: a standalone emulator, or Microsoft.</summary>
    Remote,
}

/// <summary>Configuration section <c>PartnerCenter</c>.</summary>
public sealed class PartnerCenterOptions
{
    public const string Section = "PartnerCenter";

    public PartnerCenterMode Mode { get; set; } = PartnerCenterMode.Embedded;
    /// <summary>Partner Center's base URL, without <c>/v1</c> (Microsoft: https://api.partnercenter.microsoft.com).</summary>
    public string? BaseUrl { get; set; }
    /// <summary>
    /// The Partner API's base URL, where Microsoft serves the price sheet (get-a-price-sheet: https://api.partner.microsoft.com).
    /// In Embedded mode and for a remote emulator it is the emulator's own address unless set.
    /// </summary>
    public string? PartnerApiBaseUrl { get; set; }
    /// <summary>Graph's base URL including the version (Microsoft: https://graph.microsoft.com/v1.0).</summary>
    public string? GraphBaseUrl { get; set; }
    /// <summary>Token endpoint base: tokens come from <c>{AuthorityUrl}/{tenantId}/oauth2/v2.0/token</c> (Microsoft: https://login.microsoftonline.com).</summary>
    public string? AuthorityUrl { get; set; }
    /// <summary>The partner's own tenant id.</summary>
    public string? TenantId { get; set; }
    public string ClientId { get; set; } = "skyport";
    public string ClientSecret { get; set; } = "skyport-emulator-secret";
    /// <summary>
    /// A partner user's refresh token, accepted as the App+User grant for automation (redeemed once through MSAL, then kept
    /// in MSAL's cache). Without it a broker administrator signs in on the Connect Partner Center page.
    /// </summary>
    public string? RefreshToken { get; set; }
    /// <summary>
    /// When the other side is an emulator and no one has signed in yet, Skyport asks the emulator's control plane for a
    /// refresh token of its seeded Admin agent, so that <c>dotnet run</c> needs no click.
    /// </summary>
    public bool EmulatorAutoConnect { get; set; } = true;
    /// <summary>Set at start: the other side is an emulator (embedded, or a remote one answering its control plane).</summary>
    public bool IsEmulator { get; set; }
    /// <summary>Set at start: the settings (<c>TenantId</c>, <c>ClientId</c>, <c>ClientSecret</c>) that configuration gives, which win over the page's.</summary>
    public HashSet<string> ConfiguredSettings { get; set; } = [];
    /// <summary>The partner tenant's security group (its Admin Agents, say) that GDAP access assignments give Skyport's roles to.</summary>
    public Guid GdapSecurityGroupId { get; set; } = Guid.Parse("5c7a1a55-0000-4000-8000-00000000a6e5");
    /// <summary>The embedded emulator's SQLite file; <c>:memory:</c> keeps its state in memory.</summary>
    public string EmulatorStatePath { get; set; } = "./data/emulator.db";

    /// <summary>
    /// The embedded emulator plays the customer's admin and approves each GDAP relationship this long after Skyport locks
    /// it for approval, so that the demo needs no click (appsettings.Development.json turns it on). Unset: relationships
    /// wait for an approval through the emulator's control plane, as tests give it.
    /// </summary>
    public TimeSpan? EmulatorApprovesRelationshipsAfter { get; set; }

    /// <summary>The embedded emulator answers 429 beyond Partner Center's request limits, as Microsoft does (for benchmarks and trials).</summary>
    public bool EmulatorThrottling { get; set; }
    /// <summary>When the partner center is an emulator, Skyport's <see cref="TimeProvider"/> follows the emulator's clock.</summary>
    public bool FollowEmulatorClock { get; set; } = true;
    /// <summary>How often a remote emulator's clock is read.</summary>
    public TimeSpan EmulatorClockPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public ResilienceSettings Resilience { get; set; } = new();

    /// <summary>
    /// How long a subscription change that Partner Center answered <c>202 Accepted</c> is followed (its <c>Location</c> read
    /// again, after <c>Retry-After</c> or <see cref="AcceptedChangePollInterval"/>) before Skyport calls it unanswered.
    /// </summary>
    public TimeSpan AcceptedChangeTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan AcceptedChangePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hosts (with <c>:port</c> unless it is the scheme's default) whose <c>X-MS-Certificate-Url</c> a webhook may name;
    /// by default Microsoft's. The emulator's own address is added at start when Skyport talks to one.
    /// </summary>
    public string[]? WebhookCertificateHosts { get; set; }

    /// <summary>Where Partner Center keeps the certificate that signs its webhooks (Partner Center webhooks page, "Authenticate the callback").</summary>
    public const string MicrosoftWebhookCertificateHost = "3psostorageacct.blob.core.windows.net";

    public const string PartnerCenterScope = "https://api.partnercenter.microsoft.com/.default";
    public const string GraphScope = "https://graph.microsoft.com/.default";
    public const string PartnerApiScope = "https://api.partner.microsoft.com/.default";
    /// <summary>The delegated Partner Center scope (powershell/partnercenter/exchange-online-gdap-app).</summary>
    public const string PartnerCenterUserScope = "https://api.partnercenter.microsoft.com/user_impersonation";
    /// <summary>The delegated Partner API scope (price sheet); only third-party scripts name it (docs/microsoft-contract.md §8).</summary>
    public const string PartnerApiUserScope = "https://api.partner.microsoft.com/user_impersonation";
    public const string MicrosoftPartnerApiBaseUrl = "https://api.partner.microsoft.com";
}

public sealed class ResilienceSettings
{
    public int MaxRetryAttempts { get; set; } = 4;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>The circuit opens when this share of calls fails within the sampling window...</summary>
    public double BreakerFailureRatio { get; set; } = 0.1;
    /// <summary>...and at least this many calls were made in it.</summary>
    public int BreakerMinimumThroughput { get; set; } = 100;
}
