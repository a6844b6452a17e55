namespace Skyport.Features.Billing.Rating;

/// <summary>A term with the unit price locked at its start (R5, R6).</summary>
internal readonly record struct PricedTerm(int Index, DateOnly Start, DateOnly End, decimal UnitPrice, PriceSource Source)
{
    public int Days => End.DayNumber - Start.DayNumber + 1;
}

/// <summary>Consecutive days billed at one unit price from one source; a renewal at the same price continues it.</summary>
internal readonly record struct PricePeriod(DateOnly Start, DateOnly End, decimal UnitPrice, PriceSource Source);

/// <summary>An accepted change of the seat count; a purchase goes up from 0 and a cancellation down to 0.</summary>
internal readonly record struct QuantityChange(DateTimeOffset At, DateOnly Date, int Delta, bool IsPurchase);

/// <summary>
/// Replays one subscription's events in time order, renewing or expiring it at each term end, and keeps
/// what billing needs: its price periods (and terms, when billed annually) and its accepted quantity changes.
/// </summary>
internal sealed class SubscriptionHistory(SubscriptionPlan plan, PriceLookup prices)
{
    // Monthly billing needs only the merged price periods; keeping every P1M term of a long history
    // would cost memory for nothing. Annual billing charges each term, so it keeps them (one a year).
    private readonly List<PricePeriod> _pricePeriods = [];
    private readonly List<PricedTerm> _annualTerms = [];
    private readonly List<QuantityChange> _changes = [];
    private IReadOnlyList<SeatBatch> _batches = [];
    private PricedTerm _currentTerm;
    private DateOnly _firstStart;
    private SubscriptionStatus _status;
    private bool _autoRenew;
    private int _quantity;
    private DateOnly _endedOn;

    public SubscriptionPlan Plan { get; } = plan;

    public bool IsPurchased => _pricePeriods.Count > 0;

    /// <summary>Position among all purchases, used to list subscriptions in purchase order (R9).</summary>
    public int PurchaseOrder { get; private set; } = int.MaxValue;

    /// <summary>Every term of an annually billed subscription; empty for monthly billing.</summary>
    public IReadOnlyList<PricedTerm> AnnualTerms => _annualTerms;

    /// <summary>Terms merged while their price and source stay the same; a change at renewal starts a new period.</summary>
    public IReadOnlyList<PricePeriod> PricePeriods => _pricePeriods;

    public IReadOnlyList<QuantityChange> Changes => _changes;

    /// <summary>The UTC date of an accepted cancellation.</summary>
    public DateOnly? CancelledOn { get; private set; }

    public bool IsLive => IsPurchased && _status is SubscriptionStatus.Active or SubscriptionStatus.Suspended;

    /// <summary>Renews (auto-renew on) or expires (off) every term that ended before <paramref name="instant"/>.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        while (IsLive)
        {
            var current = _currentTerm;
            var renewalDate = current.End.AddDays(1);
            if (Utc.StartOf(renewalDate) > instant)
            {
                return;
            }

            if (!_autoRenew)
            {
                _status = SubscriptionStatus.Expired;
                _endedOn = current.End;
                return;
            }

            // A price in force at purchase stays in force on every later date, so the fallback never changes the price.
            var quote = prices.InForceOn(Plan.PriceKey, renewalDate) ?? new PriceQuote(current.UnitPrice, current.Source);
            var index = current.Index + 1;
            StartTerm(new PricedTerm(
                index,
                renewalDate,
                Terms.End(_firstStart, Plan.TermDuration, index),
                quote.UnitPrice,
                quote.Source));
            _batches = SeatWindows.Renew(renewalDate, _quantity);
        }
    }

    /// <summary>Applies an event already advanced to; returns why it is refused, or null when accepted.</summary>
    public string? Apply(SubscriptionEvent change, int purchaseOrder)
    {
        if (change.Type == SubscriptionEventType.Purchase)
        {
            return Purchase(change, purchaseOrder);
        }

        if (!IsPurchased)
        {
            return "The subscription has not been purchased yet.";
        }

        if (EndedReason() is { } ended)
        {
            return ended;
        }

        var date = Utc.DateOf(change.At);
        switch (change.Type)
        {
            case SubscriptionEventType.ChangeQuantity:
                if (change.Quantity is not { } newQuantity)
                {
                    return "A quantity change needs the new quantity.";
                }

                var decision = SubscriptionRules.CanChangeQuantity(
                    _status, _batches, change.At, newQuantity, change.AssignedLicenses ?? 0);
                if (!decision.IsAllowed)
                {
                    return decision.Reason;
                }

                var delta = newQuantity - _quantity;
                _batches = delta > 0 ? SeatWindows.Add(_batches, change.At, delta) : SeatWindows.Reduce(_batches, newQuantity);
                _quantity = newQuantity;
                if (delta != 0)
                {
                    _changes.Add(new QuantityChange(change.At, date, delta, IsPurchase: false));
                }

                return null;

            case SubscriptionEventType.Cancel:
                var cancel = SubscriptionRules.CanCancel(_status, _batches, change.At, change.AssignedLicenses ?? 0);
                if (!cancel.IsAllowed)
                {
                    return cancel.Reason;
                }

                _changes.Add(new QuantityChange(change.At, date, -_quantity, IsPurchase: false));
                _quantity = 0;
                _batches = [];
                _status = SubscriptionStatus.Cancelled;
                _endedOn = date;
                CancelledOn = date;
                return null;

            case SubscriptionEventType.Suspend:
                _status = SubscriptionStatus.Suspended;
                _autoRenew = false;
                return null;

            case SubscriptionEventType.Activate:
                _status = SubscriptionStatus.Active;
                return null;

            case SubscriptionEventType.SetAutoRenew:
                if (change.AutoRenew is not { } autoRenew)
                {
                    return "An auto-renew change needs the new setting.";
                }

                var setting = SubscriptionRules.CanSetAutoRenew(_status, autoRenew);
                if (!setting.IsAllowed)
                {
                    return setting.Reason;
                }

                _autoRenew = autoRenew;
                return null;

            default:
                return $"Unknown event type '{change.Type}'.";
        }
    }

    public int QuantityBefore(DateOnly date)
    {
        var quantity = 0;
        foreach (var change in _changes)
        {
            if (change.Date >= date)
            {
                break;
            }

            quantity += change.Delta;
        }

        return quantity;
    }

    public int QuantityThrough(DateOnly date) => QuantityBefore(date.AddDays(1));

    public PricedTerm AnnualTermContaining(DateOnly date)
    {
        for (var i = _annualTerms.Count - 1; i > 0; i--)
        {
            if (_annualTerms[i].Start <= date)
            {
                return _annualTerms[i];
            }
        }

        return _annualTerms[0];
    }

    private string? Purchase(SubscriptionEvent purchase, int purchaseOrder)
    {
        if (IsPurchased)
        {
            return "The subscription has already been purchased.";
        }

        if (purchase.Quantity is not ({ } quantity and >= 1))
        {
            return "A purchase needs a quantity of at least 1.";
        }

        if (Plan.BillingFrequency == BillingFrequency.Annual && Plan.TermDuration != TermDuration.P1Y)
        {
            return "Annual billing is only available for a one-year (P1Y) term.";
        }

        var date = Utc.DateOf(purchase.At);
        if (prices.InForceOn(Plan.PriceKey, date) is not { } quote)
        {
            return $"No price for {Plan.PriceKey} is in force on {date:yyyy-MM-dd}.";
        }

        _firstStart = date;
        StartTerm(new PricedTerm(0, date, Terms.End(date, Plan.TermDuration, 0), quote.UnitPrice, quote.Source));
        _changes.Add(new QuantityChange(purchase.At, date, quantity, IsPurchase: true));
        _batches = [new SeatBatch(purchase.At, quantity)];
        _quantity = quantity;
        _status = SubscriptionStatus.Active;
        _autoRenew = Plan.AutoRenew;
        PurchaseOrder = purchaseOrder;
        return null;
    }

    private string? EndedReason() => _status switch
    {
        SubscriptionStatus.Cancelled =>
            $"The subscription was cancelled on {_endedOn:yyyy-MM-dd}; it can no longer be changed.",
        SubscriptionStatus.Expired =>
            $"The subscription expired on {_endedOn:yyyy-MM-dd} because auto-renew was off; it can no longer be changed.",
        _ => null,
    };

    private void StartTerm(PricedTerm term)
    {
        _currentTerm = term;
        if (Plan.BillingFrequency == BillingFrequency.Annual)
        {
            _annualTerms.Add(term);
        }

        if (_pricePeriods.Count > 0 && _pricePeriods[^1] is var last
            && last.UnitPrice == term.UnitPrice && last.Source == term.Source)
        {
            _pricePeriods[^1] = last with { End = term.End };
        }
        else
        {
            _pricePeriods.Add(new PricePeriod(term.Start, term.End, term.UnitPrice, term.Source));
        }
    }
}
