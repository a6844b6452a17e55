namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// What one soak client believes a customer has in Partner Center, from the answers it got. An item whose request never got a
/// final answer is uncertain: only Skyport's agreement with Partner Center is checked for it, not the client's belief.
/// </summary>
public sealed class SoakCustomer(Guid id, string domainPrefix)
{
    public Guid Id => id;

    public string DomainPrefix => domainPrefix;

    public string Domain => $"{domainPrefix}.onmicrosoft.com";

    public Guid? TenantId { get; set; }

    public List<SoakSubscription> Subscriptions { get; } = [];

    public List<SoakUser> Users { get; } = [];

    /// <summary>The prices last saved for this customer (offer → unit price), to read back at the end.</summary>
    public decimal? SavedPrice { get; set; }

    public IEnumerable<SoakSubscription> Base(string status) =>
        Subscriptions.Where(s => s.ParentId is null && s.Status == status && !s.Uncertain);
}

public sealed class SoakSubscription(Guid id, string offerId, Guid? parentId)
{
    public Guid Id => id;

    public string OfferId => offerId;

    public Guid? ParentId => parentId;

    public int Quantity { get; set; }

    public string Status { get; set; } = "active";

    public bool Uncertain { get; set; }

    /// <summary>Add-ons bought for this subscription with a 201; whether a purchase of one never got a final answer.</summary>
    public int AddOnsBought { get; set; }

    public bool AddOnsUncertain { get; set; }
}

public sealed class SoakUser(Guid id, string userPrincipalName)
{
    public Guid Id => id;

    public string UserPrincipalName => userPrincipalName;

    /// <summary>The Graph SKUs this user holds, as the answers of "Subscribe" and "Unsubscribe" said.</summary>
    public HashSet<Guid> Licenses { get; } = [];

    public bool Uncertain { get; set; }
}
