namespace Skyport.Features.Billing.Rating;

/// <summary>
/// Replays one subscription's events in time order, renewing (with its schedule, R10), extending (R12) or expiring it at
/// each term end, and keeps what billing needs: its price periods (and terms, when billed annually) and its accepted
/// quantity changes.
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
    private TermDuration _termDuration = plan.TermDuration;
    // Later terms are Terms.Start(_anchor, _termDuration, index): the first start, or R after a term change (R10),
    // the day after a custom first term end (R13), the start of EST (R12), or the upgrade source's anchor (R11).
    private DateOnly _anchor;
    private DateOnly _boughtOn;
    private SubscriptionStatus _status;
    private bool _autoRenew;
    private bool _cancelAtTermEnd;
    private bool _extended;
    private bool _upgradedAway;
    private RenewalSchedule? _schedule;
    private int _quantity;
    private DateOnly _endedOn;

    public SubscriptionPlan Plan { get; } = plan;

    public bool IsPurchased => _pricePeriods.Count > 0;

    /// <summary>Position among all purchases, used to list subscriptions in purchase order (R9).</summary>
    public int PurchaseOrder { get; private set; } = int.MaxValue;

    /// <summary>Every annually billed term; empty for monthly billing.</summary>
    public IReadOnlyList<PricedTerm> AnnualTerms => _annualTerms;

    /// <summary>Terms merged while nothing billed changes; a change at renewal starts a new period.</summary>
    public IReadOnlyList<PricePeriod> PricePeriods => _pricePeriods;

    public IReadOnlyList<QuantityChange> Changes => _changes;

    /// <summary>The UTC date of an accepted cancellation or full upgrade: the subscription is charged to that cycle's end (R14.1).</summary>
    public DateOnly? EndedOn { get; private set; }

    public bool IsLive => IsPurchased && _status is SubscriptionStatus.Active or SubscriptionStatus.Suspended;

    /// <summary>R14.7: bought and neither suspended, extended, cancelled nor expired.</summary>
    public bool IsActive => IsPurchased && _status == SubscriptionStatus.Active && !_extended;

    public DateOnly CurrentTermEnd => _currentTerm.End;

    /// <summary>Renews, extends or expires (R8, R10, R12) every term that ended before <paramref name="instant"/>.</summary>
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

            if (_extended)
            {
                StartExtendedMonth(renewalDate, current.Index + 1, current.UnitPrice, current.Source);
                continue;
            }

            switch (ExtendedServiceTerm.ActionAtTermEnd(_autoRenew, _cancelAtTermEnd, _status, _boughtOn, current.End))
            {
                case EndOfTermAction.Renew:
                    Renew(renewalDate);
                    break;
                case EndOfTermAction.Extend:
                    var quote = ExtendedServiceTerm.UnitPrice(
                        prices, current.OfferId, renewalDate, current.UnitPrice, current.Source, current.Frequency);
                    _extended = true;
                    _schedule = null;
                    // EST is cancellable at any time (R12): its seats need no 168-hour window.
                    _batches = [];
                    StartExtendedMonth(renewalDate, 0, quote.UnitPrice, quote.Source);
                    break;
                default:
                    _status = SubscriptionStatus.Expired;
                    _endedOn = current.End;
                    return;
            }
        }
    }

    /// <summary>Applies an event already advanced to; returns why it is refused, or null when accepted.</summary>
    public string? Apply(SubscriptionEvent change, int purchaseOrder)
    {
        if (change.Type == SubscriptionEventType.Purchase)
        {
            return Purchase(change, purchaseOrder);
        }

        if (Unchangeable() is { } reason)
        {
            return reason;
        }

        if (_extended && change.Type != SubscriptionEventType.Cancel)
        {
            return ExtendedServiceTerm.OnlyCancellation.Reason;
        }

        switch (change.Type)
        {
            case SubscriptionEventType.ChangeQuantity:
                return ChangeQuantity(change);

            case SubscriptionEventType.Cancel:
                // During EST there are no windows to check (_batches is empty): it can be cancelled at any time.
                var cancel = SubscriptionRules.CanCancel(_status, _batches, change.At, change.AssignedLicenses ?? 0);
                if (!cancel.IsAllowed)
                {
                    return cancel.Reason;
                }

                RemoveSeats(change.At, 0);
                End(Utc.DateOf(change.At), upgraded: false);
                return null;

            case SubscriptionEventType.Suspend:
                _status = SubscriptionStatus.Suspended;
                _autoRenew = false;
                _schedule = null;
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
                if (autoRenew)
                {
                    _cancelAtTermEnd = false;
                }
                else
                {
                    _schedule = null;
                }

                return null;

            case SubscriptionEventType.ScheduleRenewal:
                return Schedule(change.Schedule ?? new RenewalSchedule());

            case SubscriptionEventType.ClearSchedule:
                _schedule = null;
                return null;

            case SubscriptionEventType.CancelAtTermEnd:
                _autoRenew = false;
                _schedule = null;
                _cancelAtTermEnd = true;
                return null;

            default:
                return $"Unknown event type '{change.Type}'.";
        }
    }

    /// <summary>
    /// R11: moves <see cref="SubscriptionEvent.Quantity"/> seats to <paramref name="target"/>, a new subscription co-termed
    /// with this one, bought by this event. Returns why it is refused, or null when accepted.
    /// </summary>
    public string? UpgradeTo(SubscriptionHistory target, SubscriptionEvent upgrade, int purchaseOrder)
    {
        if (Unchangeable() is { } reason)
        {
            return reason;
        }

        if (target.IsPurchased)
        {
            return $"The upgrade's target '{target.Plan.Id}' has already been purchased.";
        }

        var seats = upgrade.Quantity ?? 0;
        var decision = UpgradeRules.CanUpgrade(_status, _extended, _quantity, seats, _currentTerm.OfferId, target.Plan.OfferId);
        if (!decision.IsAllowed)
        {
            return decision.Reason;
        }

        if (target.Plan.TermDuration != _termDuration || target.Plan.BillingFrequency != _currentTerm.Frequency)
        {
            return $"The upgrade's target '{target.Plan.Id}' must have the source's term ({_termDuration.WireName()}) and billing frequency ({_currentTerm.Frequency.WireName()}).";
        }

        var date = Utc.DateOf(upgrade.At);
        if (prices.InForceOn(target.Plan.PriceKey, date) is not { } quote)
        {
            return $"No price for {target.Plan.PriceKey} is in force on {date:yyyy-MM-dd}.";
        }

        var moved = SeatWindows.Moved(_batches, _quantity - seats);
        target.StartAsUpgradeOf(this, upgrade.At, seats, moved, quote, purchaseOrder);
        RemoveSeats(upgrade.At, _quantity - seats);
        _schedule = null;
        if (_quantity == 0)
        {
            End(date, upgraded: true);
        }

        return null;
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

    /// <summary>The seats a term or price period starting on <paramref name="date"/> starts with: a scheduled quantity included (R10).</summary>
    public int SeatsAtStartOf(DateOnly date)
    {
        var quantity = QuantityBefore(date);
        foreach (var change in _changes)
        {
            if (change.Date == date && change.Kind == QuantityChangeKind.Renewal)
            {
                quantity += change.Delta;
            }
        }

        return quantity;
    }

    /// <summary>The seats bought: by the purchase, or moved here by an upgrade.</summary>
    public int PurchasedSeats => _changes.Count > 0 && _changes[0].Kind == QuantityChangeKind.Purchase ? _changes[0].Delta : 0;

    public PricedTerm? AnnualTermContaining(DateOnly date)
    {
        for (var i = _annualTerms.Count - 1; i >= 0; i--)
        {
            if (_annualTerms[i].Start <= date)
            {
                return date <= _annualTerms[i].End ? _annualTerms[i] : null;
            }
        }

        return null;
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

        // R13: a custom first term end anchors later terms on the day after it (the engine has checked the date).
        var end = purchase.CustomTermEndDate ?? Terms.End(date, Plan.TermDuration, 0);
        _anchor = purchase.CustomTermEndDate is { } custom ? custom.AddDays(1) : date;
        var index = purchase.CustomTermEndDate is null ? 0 : -1;
        Start(
            new PricedTerm(index, date, end, Terms.Days(date, Plan.TermDuration, 0), quote.UnitPrice, quote.Source,
                Plan.OfferId, Plan.BillingFrequency, Extended: false, StartsWithPurchase: true),
            purchase.At,
            quantity,
            [new SeatBatch(purchase.At, quantity)],
            purchaseOrder);
        return null;
    }

    /// <summary>R11: bought at the upgrade's instant, co-termed with the source, with the moved seats' windows (R14.3).</summary>
    private void StartAsUpgradeOf(
        SubscriptionHistory source,
        DateTimeOffset at,
        int seats,
        IReadOnlyList<SeatBatch> moved,
        PriceQuote quote,
        int purchaseOrder)
    {
        var sourceTerm = source._currentTerm;
        _anchor = source._anchor;
        Start(
            new PricedTerm(sourceTerm.Index, Utc.DateOf(at), sourceTerm.End, sourceTerm.NaturalDays, quote.UnitPrice,
                quote.Source, Plan.OfferId, Plan.BillingFrequency, Extended: false, StartsWithPurchase: true),
            at,
            seats,
            moved,
            purchaseOrder);
    }

    private void Start(PricedTerm first, DateTimeOffset at, int quantity, IReadOnlyList<SeatBatch> batches, int purchaseOrder)
    {
        _boughtOn = first.Start;
        StartTerm(first, split: false);
        _changes.Add(new QuantityChange(at, first.Start, quantity, QuantityChangeKind.Purchase));
        _batches = batches;
        _quantity = quantity;
        _status = SubscriptionStatus.Active;
        _autoRenew = Plan.AutoRenew;
        PurchaseOrder = purchaseOrder;
    }

    private string? ChangeQuantity(SubscriptionEvent change)
    {
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
        if (delta > 0)
        {
            _batches = SeatWindows.Add(_batches, change.At, delta);
            _changes.Add(new QuantityChange(change.At, Utc.DateOf(change.At), delta, QuantityChangeKind.Change));
            _quantity = newQuantity;
        }
        else
        {
            RemoveSeats(change.At, newQuantity);
        }

        // R14.5: a change that changes nothing keeps the schedule; any other deletes it (R10).
        if (delta != 0)
        {
            _schedule = null;
        }

        return null;
    }

    private string? Schedule(RenewalSchedule schedule)
    {
        var decision = RenewalRules.CanSchedule(
            _status, _extended, _autoRenew, _termDuration, _currentTerm.Frequency, schedule);
        if (!decision.IsAllowed)
        {
            return decision.Reason;
        }

        var renewalDate = _currentTerm.End.AddDays(1);
        var key = new PriceKey(
            schedule.OfferId ?? _currentTerm.OfferId,
            schedule.TermDuration ?? _termDuration,
            schedule.BillingFrequency ?? _currentTerm.Frequency);
        if (prices.InForceOn(key, renewalDate) is null)
        {
            return $"No price for {key} is in force on the renewal date {renewalDate:yyyy-MM-dd}.";
        }

        _schedule = schedule;
        return null;
    }

    private void RemoveSeats(DateTimeOffset at, int newQuantity)
    {
        var delta = newQuantity - _quantity;
        if (delta == 0)
        {
            return;
        }

        _batches = SeatWindows.Reduce(_batches, newQuantity);
        _changes.Add(new QuantityChange(at, Utc.DateOf(at), delta, QuantityChangeKind.Change));
        _quantity = newQuantity;
    }

    private void End(DateOnly date, bool upgraded)
    {
        _batches = [];
        _status = SubscriptionStatus.Cancelled;
        _upgradedAway = upgraded;
        _endedOn = date;
        EndedOn = date;
    }

    /// <summary>R10: a new term with the scheduled values (missing ones kept), priced at the renewal date.</summary>
    private void Renew(DateOnly renewalDate)
    {
        var current = _currentTerm;
        var schedule = RenewalRules.Changes(_schedule, _quantity, current.OfferId, _termDuration, current.Frequency)
            ? _schedule
            : null;
        _schedule = null;
        var offerId = schedule?.OfferId ?? current.OfferId;
        var frequency = schedule?.BillingFrequency ?? current.Frequency;
        var index = current.Index + 1;
        if (schedule?.TermDuration is { } duration && duration != _termDuration)
        {
            _termDuration = duration;
            _anchor = renewalDate;
            index = 0;
        }

        // A price in force at purchase (or when the schedule was accepted) stays in force on every later date, so the
        // fallback never changes the price.
        var quote = prices.InForceOn(new PriceKey(offerId, _termDuration, frequency), renewalDate)
            ?? new PriceQuote(current.UnitPrice, current.Source);
        StartTerm(
            new PricedTerm(index, renewalDate, Terms.End(_anchor, _termDuration, index), Terms.Days(_anchor, _termDuration, index),
                quote.UnitPrice, quote.Source, offerId, frequency, Extended: false, StartsWithPurchase: false),
            split: schedule is not null);
        if (schedule?.Quantity is { } quantity && quantity != _quantity)
        {
            _changes.Add(new QuantityChange(Utc.StartOf(renewalDate), renewalDate, quantity - _quantity, QuantityChangeKind.Renewal));
            _quantity = quantity;
        }

        _batches = SeatWindows.Renew(renewalDate, _quantity);
    }

    /// <summary>R12: EST runs in P1M periods anchored on its first day, billed monthly at the price found then.</summary>
    private void StartExtendedMonth(DateOnly start, int index, decimal unitPrice, PriceSource source)
    {
        if (index == 0)
        {
            _anchor = start;
            _termDuration = TermDuration.P1M;
        }

        StartTerm(
            new PricedTerm(index, start, Terms.End(_anchor, TermDuration.P1M, index), Terms.Days(_anchor, TermDuration.P1M, index),
                unitPrice, source, _currentTerm.OfferId, BillingFrequency.Monthly, Extended: true, StartsWithPurchase: false),
            split: false);
    }

    private string? Unchangeable()
    {
        if (!IsPurchased)
        {
            return "The subscription has not been purchased yet.";
        }

        return _status switch
        {
            SubscriptionStatus.Cancelled when _upgradedAway =>
                $"The subscription was upgraded in full on {_endedOn:yyyy-MM-dd}; it can no longer be changed.",
            SubscriptionStatus.Cancelled =>
                $"The subscription was cancelled on {_endedOn:yyyy-MM-dd}; it can no longer be changed.",
            SubscriptionStatus.Expired =>
                $"The subscription expired on {_endedOn:yyyy-MM-dd} because auto-renew was off; it can no longer be changed.",
            _ => null,
        };
    }

    private void StartTerm(PricedTerm term, bool split)
    {
        _currentTerm = term;
        if (term.Frequency == BillingFrequency.Annual)
        {
            _annualTerms.Add(term);
        }

        if (!split && _pricePeriods.Count > 0 && _pricePeriods[^1] is var last
            && last.UnitPrice == term.UnitPrice && last.Source == term.Source && last.OfferId == term.OfferId
            && last.Frequency == term.Frequency && last.Extended == term.Extended)
        {
            _pricePeriods[^1] = last with { End = term.End };
        }
        else
        {
            _pricePeriods.Add(new PricePeriod(
                term.Start, term.End, term.UnitPrice, term.Source, term.OfferId, term.Frequency, term.Extended));
        }
    }
}
