namespace Skyport.PartnerCenter;

/// <summary>Addresses MSAL sees (https) and the configured ones (http for an emulator on loopback).</summary>
public static class MsalHttp
{
    /// <summary>The authority MSAL accepts: the configured one, with https when it is an http emulator.</summary>
    public static string MsalAuthority(string authorityUrl)
    {
        var uri = new Uri(authorityUrl);
        return uri.Scheme == "http" ? new UriBuilder(uri) { Scheme = "https", Port = uri.Port }.Uri.ToString().TrimEnd('/') : authorityUrl.TrimEnd('/');
    }

    /// <summary>A URL MSAL built on <see cref="MsalAuthority"/>, back on the configured address (for the browser's redirect).</summary>
    public static Uri OnConfiguredAddress(Uri msalUrl, string authorityUrl)
    {
        var configured = new Uri(authorityUrl);
        return configured.Scheme == "http" && msalUrl.Scheme == "https" && msalUrl.Host == configured.Host
            ? new UriBuilder(msalUrl) { Scheme = "http", Port = configured.Port }.Uri
            : msalUrl;
    }
}
