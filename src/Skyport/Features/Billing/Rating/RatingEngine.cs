namespace Skyport.Features.Billing.Rating;

/// <summary>
/// Turns subscriptions and their events into billing reports by rules R1–R14. Pure: no I/O, no clock;
/// the same input always gives the same reports.
/// </summary>
public static class RatingEngine
{
    public static RatingResult Rate(RatingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var prices = new PriceLookup(input.PriceLists);
        var histories = new Dictionary<string, SubscriptionHistory>(input.Subscriptions.Count, StringComparer.Ordinal);
        foreach (var plan in input.Subscriptions)
        {
            histories[plan.Id] = new SubscriptionHistory(plan, prices);
        }

        var rejected = Replay(input.Events, histories);
        var cycles = BillingCycle.Range(input.From, input.To, input.CycleEndDay);
        if (cycles.Count == 0)
        {
            return new RatingResult([], rejected);
        }

        var horizon = Utc.StartOf(cycles[^1].End.AddDays(1));
        foreach (var history in histories.Values)
        {
            history.AdvanceTo(horizon);
        }

        var ordered = InReportOrder(histories.Values);
        var reports = new BillingReport[cycles.Count];
        for (var i = 0; i < cycles.Count; i++)
        {
            reports[i] = Report(cycles[i], ordered, input.Currency);
        }

        return new RatingResult(reports, rejected);
    }

    /// <summary>Applies events in timestamp order (ties keep input order); refused events change nothing.</summary>
    private static List<RejectedEvent> Replay(
        IReadOnlyList<SubscriptionEvent> events,
        Dictionary<string, SubscriptionHistory> histories)
    {
        var order = new int[events.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Array.Sort is not stable, so the index breaks ties.
        Array.Sort(order, (a, b) =>
        {
            var byTime = events[a].At.CompareTo(events[b].At);
            return byTime != 0 ? byTime : a.CompareTo(b);
        });

        var rejected = new List<RejectedEvent>();
        var purchases = 0;
        foreach (var index in order)
        {
            var change = events[index];
            if (!histories.TryGetValue(change.SubscriptionId, out var history))
            {
                rejected.Add(new RejectedEvent(index, $"There is no subscription '{change.SubscriptionId}'."));
                continue;
            }

            history.AdvanceTo(change.At);
            var reason = change.Type switch
            {
                SubscriptionEventType.Purchase =>
                    BaseRefusesAddOn(history, change.At, histories)
                    ?? CustomTermEndRefused(change, history, histories)
                    ?? history.Apply(change, purchases),
                SubscriptionEventType.Upgrade => Upgrade(change, history, histories, purchases),
                _ => history.Apply(change, purchases),
            };
            if (reason is null)
            {
                if (change.Type is SubscriptionEventType.Purchase or SubscriptionEventType.Upgrade)
                {
                    purchases++;
                }
            }
            else
            {
                rejected.Add(new RejectedEvent(index, reason));
            }
        }

        rejected.Sort((a, b) => a.EventIndex.CompareTo(b.EventIndex));
        return rejected;
    }

    private static string? BaseRefusesAddOn(
        SubscriptionHistory addOn,
        DateTimeOffset at,
        Dictionary<string, SubscriptionHistory> histories)
    {
        if (addOn.Plan.ParentId is not { } parentId)
        {
            return null;
        }

        if (!histories.TryGetValue(parentId, out var parent))
        {
            return $"The add-on's base subscription '{parentId}' does not exist.";
        }

        parent.AdvanceTo(at);
        return parent.IsLive
            ? null
            : $"An add-on can only be bought while its base subscription '{parentId}' is active.";
    }

    /// <summary>R11: the target is declared in the scenario and bought by the upgrade.</summary>
    private static string? Upgrade(
        SubscriptionEvent upgrade,
        SubscriptionHistory source,
        Dictionary<string, SubscriptionHistory> histories,
        int purchaseOrder)
    {
        if (upgrade.ToSubscriptionId is not { } targetId
            || !histories.TryGetValue(targetId, out var target)
            || ReferenceEquals(target, source))
        {
            return $"The upgrade's target '{upgrade.ToSubscriptionId}' is not another subscription of the scenario.";
        }

        return source.UpgradeTo(target, upgrade, purchaseOrder);
    }

    /// <summary>R13: a month end, or the current term end of another active subscription (R14.7).</summary>
    private static string? CustomTermEndRefused(
        SubscriptionEvent purchase,
        SubscriptionHistory history,
        Dictionary<string, SubscriptionHistory> histories)
    {
        if (purchase.CustomTermEndDate is not { } customEnd || history.IsPurchased)
        {
            return null;
        }

        var termEnds = new List<DateOnly>();
        foreach (var other in histories.Values)
        {
            if (ReferenceEquals(other, history))
            {
                continue;
            }

            other.AdvanceTo(purchase.At);
            if (other.IsActive)
            {
                termEnds.Add(other.CurrentTermEnd);
            }
        }

        return CoterminousPurchase.CanEndFirstTermOn(
            Utc.DateOf(purchase.At), history.Plan.TermDuration, customEnd, termEnds).Reason;
    }

    /// <summary>R9: purchase order, each add-on right after its base.</summary>
    private static List<SubscriptionHistory> InReportOrder(IEnumerable<SubscriptionHistory> histories)
    {
        var purchased = histories.Where(h => h.IsPurchased).OrderBy(h => h.PurchaseOrder).ToList();
        var ids = purchased.Select(h => h.Plan.Id).ToHashSet(StringComparer.Ordinal);
        var addOns = purchased
            .Where(h => h.Plan.ParentId is { } parent && ids.Contains(parent))
            .ToLookup(h => h.Plan.ParentId!, StringComparer.Ordinal);
        var ordered = new List<SubscriptionHistory>(purchased.Count);
        foreach (var root in purchased.Where(h => h.Plan.ParentId is not { } parent || !ids.Contains(parent)))
        {
            AddWithAddOns(root, addOns, ordered);
        }

        return ordered;
    }

    private static void AddWithAddOns(
        SubscriptionHistory history,
        ILookup<string, SubscriptionHistory> addOns,
        List<SubscriptionHistory> ordered)
    {
        ordered.Add(history);
        foreach (var addOn in addOns[history.Plan.Id])
        {
            AddWithAddOns(addOn, addOns, ordered);
        }
    }

    private static BillingReport Report(BillingCycle cycle, List<SubscriptionHistory> ordered, string currency)
    {
        var subscriptions = new List<SubscriptionCharges>();
        var total = 0m;
        foreach (var history in ordered)
        {
            var lines = CycleLines.For(history, cycle);
            if (lines.Count == 0)
            {
                continue;
            }

            var subtotal = lines.Sum(line => line.Amount);
            total += subtotal;
            // R14.9: the offer of the subscription's latest line; an offer can change at renewal (R10).
            subscriptions.Add(new SubscriptionCharges(
                history.Plan.Id, history.Plan.ParentId, lines[^1].OfferId, subtotal, lines));
        }

        return new BillingReport(cycle.BillingDate, cycle.Start, cycle.End, currency, total, subscriptions);
    }
}
