namespace Skyport.Features.ConnectionCheck;

/// <summary>One read Skyport needs from Partner Center, and whether it worked; when it did not, what is missing in a person's words.</summary>
public sealed record ConnectionCheckItem(string Name, bool Ok, string Detail);
