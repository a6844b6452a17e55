using System.Diagnostics.CodeAnalysis;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Preview;

/// <summary>
/// Checks a preview request against the contract's Errors section and turns it into the engine's input.
/// Every bad field is named, in the request's own camelCase path (e.g. <c>events[3].quantity</c>).
/// </summary>
public static class BillingScenario
{
    public const int MaxMonths = 120;
    public const int MaxEvents = 10_000;

    // Keeps renewals replayed from a purchase bounded: a P1M term a month, for at most a century.
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public static bool TryRead(
        BillingPreviewRequest? request,
        [NotNullWhen(true)] out RatingInput? input,
        out IDictionary<string, string[]> errors)
    {
        var found = new FieldErrors();
        input = null;
        if (request is null)
        {
            found.Add("request", "The request body must be a billing scenario.");
            errors = found.ToDictionary();
            return false;
        }

        var endDay = ReadCycleEndDay(request.BillingCycleEndDay, found);
        var currency = ReadCurrency(request.Currency, found);
        var global = ReadPrices(request.PriceLists?.Global, "priceLists.global", found);
        var customer = ReadPrices(request.PriceLists?.Customer, "priceLists.customer", found);
        var prices = new PriceLookup(new PriceLists(global, customer));
        var subscriptions = ReadSubscriptions(request.Subscriptions ?? [], prices, found);
        var events = ReadEvents(request.Events ?? [], subscriptions, prices, found);
        var (from, to) = ReadReports(request.Reports, found);

        errors = found.ToDictionary();
        if (errors.Count > 0)
        {
            return false;
        }

        input = new RatingInput(endDay, currency, new PriceLists(global, customer), subscriptions, events, from, to);
        return true;
    }

    private static int ReadCycleEndDay(int? endDay, FieldErrors errors)
    {
        if (endDay is not { } day)
        {
            errors.Add("billingCycleEndDay", "The billing cycle end day is required.");
            return 0;
        }

        if (day is < BillingCycle.MinEndDay or > BillingCycle.MaxEndDay)
        {
            errors.Add("billingCycleEndDay", $"The billing cycle end day must be between 1 and 31, not {day}.");
        }

        return day;
    }

    private static string ReadCurrency(string? currency, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(currency))
        {
            errors.Add("currency", "The currency is required.");
            return "";
        }

        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("currency", $"The currency must be a three-letter ISO 4217 code such as EUR, not '{currency}'.");
        }

        return currency;
    }

    private static List<PriceEntry> ReadPrices(IReadOnlyList<PreviewPrice>? prices, string path, FieldErrors errors)
    {
        var entries = new List<PriceEntry>();
        for (var i = 0; i < (prices?.Count ?? 0); i++)
        {
            var field = $"{path}[{i}]";
            var price = prices![i];
            if (price is null)
            {
                errors.Add(field, "A price list entry is required.");
                continue;
            }

            var ok = Required(price.OfferId, $"{field}.offerId", "offer ID", errors);
            ok &= TermAndFrequency(price.TermDuration, price.BillingFrequency, field, errors, out var term, out var frequency);
            if (price.UnitPrice is not { } unitPrice)
            {
                errors.Add($"{field}.unitPrice", "The unit price is required.");
                ok = false;
            }
            else if (unitPrice < 0)
            {
                errors.Add($"{field}.unitPrice", "The unit price cannot be negative.");
                ok = false;
            }

            if (!ScenarioText.TryParseDate(price.EffectiveFrom, out var effectiveFrom))
            {
                errors.Add($"{field}.effectiveFrom", $"'{price.EffectiveFrom}' is not a date in the form YYYY-MM-DD.");
                ok = false;
            }

            if (ok)
            {
                entries.Add(new PriceEntry(price.OfferId!, term, frequency, price.UnitPrice!.Value, effectiveFrom));
            }
        }

        return entries;
    }

    private static List<SubscriptionPlan> ReadSubscriptions(
        IReadOnlyList<PreviewSubscription> subscriptions,
        PriceLookup prices,
        FieldErrors errors)
    {
        var plans = new List<SubscriptionPlan>();
        var parents = subscriptions
            .Where(s => s is { Id: not null })
            .GroupBy(s => s.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ParentId, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < subscriptions.Count; i++)
        {
            var field = $"subscriptions[{i}]";
            var subscription = subscriptions[i];
            if (subscription is null)
            {
                errors.Add(field, "A subscription is required.");
                continue;
            }

            var ok = Required(subscription.Id, $"{field}.id", "subscription ID", errors);
            if (ok && !seen.Add(subscription.Id!))
            {
                errors.Add($"{field}.id", $"The subscription ID '{subscription.Id}' is used more than once.");
                ok = false;
            }

            ok &= Required(subscription.OfferId, $"{field}.offerId", "offer ID", errors);
            ok &= TermAndFrequency(
                subscription.TermDuration, subscription.BillingFrequency, field, errors, out var term, out var frequency);
            if (subscription.AutoRenew is null)
            {
                errors.Add($"{field}.autoRenew", "Auto-renew (true or false) is required.");
                ok = false;
            }

            if (subscription.ParentId is { } parentId)
            {
                if (parentId == subscription.Id)
                {
                    errors.Add($"{field}.parentId", "A subscription cannot be its own base subscription.");
                    ok = false;
                }
                else if (!parents.TryGetValue(parentId, out var grandParent))
                {
                    errors.Add($"{field}.parentId", $"The base subscription '{parentId}' is not in the scenario.");
                    ok = false;
                }
                else if (grandParent is not null)
                {
                    errors.Add($"{field}.parentId", $"The base subscription '{parentId}' is itself an add-on.");
                    ok = false;
                }
            }

            if (!ok)
            {
                continue;
            }

            var plan = new SubscriptionPlan(
                subscription.Id!, subscription.OfferId!, term, frequency, subscription.AutoRenew!.Value, subscription.ParentId);
            if (!prices.HasAnyPrice(plan.PriceKey))
            {
                errors.Add($"{field}.offerId", $"No price list has a price for offer {plan.PriceKey}.");
                continue;
            }

            plans.Add(plan);
        }

        return plans;
    }

    private static List<SubscriptionEvent> ReadEvents(
        IReadOnlyList<PreviewEvent> events,
        List<SubscriptionPlan> plans,
        PriceLookup prices,
        FieldErrors errors)
    {
        if (events.Count > MaxEvents)
        {
            errors.Add("events", $"A scenario can hold at most {MaxEvents:N0} events, not {events.Count:N0}.");
            return [];
        }

        var known = plans.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var result = new List<SubscriptionEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var field = $"events[{i}]";
            var change = events[i];
            if (change is null)
            {
                errors.Add(field, "An event is required.");
                continue;
            }

            var ok = true;
            RenewalSchedule? schedule = null;
            DateOnly? customTermEnd = null;
            if (!ScenarioText.TryParseInstant(change.At, out var at))
            {
                errors.Add($"{field}.at", $"'{change.At}' is not an ISO 8601 instant with an offset, such as 2025-03-20T10:00:00Z.");
                ok = false;
            }
            else if (Utc.DateOf(at) < EarliestDate || Utc.DateOf(at) > LatestDate)
            {
                errors.Add($"{field}.at", $"Events must happen between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}.");
                ok = false;
            }

            if (string.IsNullOrEmpty(change.SubscriptionId))
            {
                errors.Add($"{field}.subscriptionId", "The subscription ID is required.");
                ok = false;
            }
            else if (!known.ContainsKey(change.SubscriptionId))
            {
                errors.Add($"{field}.subscriptionId", $"There is no valid subscription '{change.SubscriptionId}' in the scenario.");
                ok = false;
            }

            if (!WireNames.TryParse(change.Type, out SubscriptionEventType type))
            {
                errors.Add($"{field}.type", $"'{change.Type}' is not an event type: use {string.Join(", ", WireNames.EventTypeNames)}.");
                ok = false;
            }
            else
            {
                known.TryGetValue(change.SubscriptionId ?? "", out var plan);
                ok &= EventFields(change, type, plan, known, prices, field, errors, out schedule, out customTermEnd);
            }

            if (change.AssignedLicenses is < 0)
            {
                errors.Add($"{field}.assignedLicenses", "Assigned licenses cannot be negative.");
                ok = false;
            }

            if (ok)
            {
                result.Add(new SubscriptionEvent(
                    at, change.SubscriptionId!, type, change.Quantity, change.AutoRenew, change.AssignedLicenses,
                    schedule, change.ToSubscriptionId, customTermEnd));
            }
        }

        return result;
    }

    /// <summary>The fields each event type needs (R7, R10, R11, R13); <paramref name="plan"/> is null when the subscription is unknown.</summary>
    private static bool EventFields(
        PreviewEvent change,
        SubscriptionEventType type,
        SubscriptionPlan? plan,
        Dictionary<string, SubscriptionPlan> plans,
        PriceLookup prices,
        string field,
        FieldErrors errors,
        out RenewalSchedule? schedule,
        out DateOnly? customTermEnd)
    {
        schedule = null;
        customTermEnd = null;
        var ok = true;
        if (type != SubscriptionEventType.Purchase && change.CustomTermEndDate is not null)
        {
            errors.Add($"{field}.customTermEndDate", "A custom term end date can only be given on a purchase.");
            ok = false;
        }

        switch (type)
        {
            case SubscriptionEventType.Purchase or SubscriptionEventType.ChangeQuantity when change.Quantity is not >= 1:
                errors.Add($"{field}.quantity", type == SubscriptionEventType.Purchase
                    ? "A purchase needs a quantity of at least 1."
                    : "A quantity change needs a new quantity of at least 1; cancel the subscription to end it.");
                return false;

            case SubscriptionEventType.Purchase when change.CustomTermEndDate is not null:
                if (!ScenarioText.TryParseDate(change.CustomTermEndDate, out var end))
                {
                    errors.Add($"{field}.customTermEndDate", $"'{change.CustomTermEndDate}' is not a date in the form YYYY-MM-DD.");
                    return false;
                }

                customTermEnd = end;
                return ok;

            case SubscriptionEventType.SetAutoRenew when change.AutoRenew is null:
                errors.Add($"{field}.autoRenew", "An auto-renew change needs autoRenew (true or false).");
                return false;

            case SubscriptionEventType.ScheduleRenewal:
                return ReadSchedule(change, plan, prices, field, errors, out schedule) && ok;

            case SubscriptionEventType.Upgrade:
                return ReadUpgrade(change, plan, plans, field, errors) && ok;

            default:
                return ok;
        }
    }

    private static bool ReadSchedule(
        PreviewEvent change,
        SubscriptionPlan? plan,
        PriceLookup prices,
        string field,
        FieldErrors errors,
        out RenewalSchedule? schedule)
    {
        schedule = null;
        var ok = true;
        if (change.Quantity is < 1)
        {
            errors.Add($"{field}.quantity", "The quantity at renewal must be at least 1.");
            ok = false;
        }

        if (change.OfferId is { } offer && string.IsNullOrWhiteSpace(offer))
        {
            errors.Add($"{field}.offerId", "The offer ID at renewal cannot be blank; leave it out to keep the current offer.");
            ok = false;
        }

        TermDuration? term = null;
        if (change.TermDuration is not null)
        {
            if (WireNames.TryParse(change.TermDuration, out TermDuration parsed))
            {
                term = parsed;
            }
            else
            {
                errors.Add($"{field}.termDuration", $"'{change.TermDuration}' is not a term: use P1M or P1Y.");
                ok = false;
            }
        }

        BillingFrequency? frequency = null;
        if (change.BillingFrequency is not null)
        {
            if (WireNames.TryParse(change.BillingFrequency, out BillingFrequency parsed))
            {
                frequency = parsed;
            }
            else
            {
                errors.Add($"{field}.billingFrequency", $"'{change.BillingFrequency}' is not a billing frequency: use monthly or annual.");
                ok = false;
            }
        }

        if (!ok)
        {
            return false;
        }

        schedule = new RenewalSchedule(change.Quantity, change.OfferId, term, frequency);
        if (schedule.IsEmpty)
        {
            errors.Add(field, "A change at renewal needs at least one of quantity, offerId, termDuration and billingFrequency.");
            return false;
        }

        if (plan is null)
        {
            return true;
        }

        // The subscription's declared values stand in for the current ones; the engine checks again at the event.
        var key = new PriceKey(schedule.OfferId ?? plan.OfferId, term ?? plan.TermDuration, frequency ?? plan.BillingFrequency);
        if (key.BillingFrequency == BillingFrequency.Annual && key.TermDuration != TermDuration.P1Y)
        {
            errors.Add($"{field}.billingFrequency", "Annual billing is only available for a one-year (P1Y) term.");
            return false;
        }

        if (!prices.HasAnyPrice(key))
        {
            errors.Add(change.OfferId is not null ? $"{field}.offerId" : $"{field}.termDuration", $"No price list has a price for offer {key}.");
            return false;
        }

        return true;
    }

    private static bool ReadUpgrade(
        PreviewEvent change,
        SubscriptionPlan? source,
        Dictionary<string, SubscriptionPlan> plans,
        string field,
        FieldErrors errors)
    {
        var ok = true;
        if (change.Quantity is not >= 1)
        {
            errors.Add($"{field}.quantity", "An upgrade needs the number of seats to move, at least 1.");
            ok = false;
        }

        if (string.IsNullOrEmpty(change.ToSubscriptionId))
        {
            errors.Add($"{field}.toSubscriptionId", "An upgrade needs its target subscription (toSubscriptionId).");
            return false;
        }

        if (change.ToSubscriptionId == change.SubscriptionId)
        {
            errors.Add($"{field}.toSubscriptionId", "A subscription cannot be upgraded to itself.");
            return false;
        }

        if (!plans.TryGetValue(change.ToSubscriptionId, out var target))
        {
            errors.Add($"{field}.toSubscriptionId", $"There is no valid subscription '{change.ToSubscriptionId}' in the scenario.");
            return false;
        }

        // R14.3: the target is co-termed with its source, so it must declare the same term and billing frequency.
        if (source is not null
            && (target.TermDuration != source.TermDuration || target.BillingFrequency != source.BillingFrequency))
        {
            errors.Add(
                $"{field}.toSubscriptionId",
                $"The target '{target.Id}' must have the source's term ({source.TermDuration.WireName()}) and billing frequency ({source.BillingFrequency.WireName()}).");
            ok = false;
        }

        return ok;
    }

    private static (BillingMonth From, BillingMonth To) ReadReports(PreviewReportRange? reports, FieldErrors errors)
    {
        if (reports is null)
        {
            errors.Add("reports", "The months to report (reports.from and reports.to) are required.");
            return default;
        }

        var fromOk = ReadMonth(reports.From, "reports.from", errors, out var from);
        var toOk = ReadMonth(reports.To, "reports.to", errors, out var to);
        if (!fromOk || !toOk)
        {
            return default;
        }

        if (to < from)
        {
            errors.Add("reports.to", $"The last month ({to}) is before the first month ({from}).");
        }
        else if (from.MonthsUntil(to) + 1 > MaxMonths)
        {
            errors.Add("reports", $"A preview covers at most {MaxMonths} months, not {from.MonthsUntil(to) + 1}.");
        }

        return (from, to);
    }

    private static bool ReadMonth(string? text, string field, FieldErrors errors, out BillingMonth month)
    {
        if (!BillingMonth.TryParse(text, out month))
        {
            errors.Add(field, $"'{text}' is not a month in the form YYYY-MM.");
            return false;
        }

        if (month < BillingMonth.Of(EarliestDate) || month > BillingMonth.Of(LatestDate))
        {
            errors.Add(field, $"Months must fall between {BillingMonth.Of(EarliestDate)} and {BillingMonth.Of(LatestDate)}.");
            return false;
        }

        return true;
    }

    private static bool TermAndFrequency(
        string? termText,
        string? frequencyText,
        string field,
        FieldErrors errors,
        out TermDuration term,
        out BillingFrequency frequency)
    {
        var ok = true;
        if (!WireNames.TryParse(termText, out term))
        {
            errors.Add($"{field}.termDuration", $"'{termText}' is not a term: use P1M or P1Y.");
            ok = false;
        }

        if (!WireNames.TryParse(frequencyText, out frequency))
        {
            errors.Add($"{field}.billingFrequency", $"'{frequencyText}' is not a billing frequency: use monthly or annual.");
            ok = false;
        }
        else if (ok && frequency == BillingFrequency.Annual && term != TermDuration.P1Y)
        {
            errors.Add($"{field}.billingFrequency", "Annual billing is only available for a one-year (P1Y) term.");
            ok = false;
        }

        return ok;
    }

    private static bool Required(string? value, string field, string name, FieldErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        errors.Add(field, $"The {name} is required.");
        return false;
    }

    private sealed class FieldErrors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }

            messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() =>
            _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }
}
