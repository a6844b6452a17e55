using BenchmarkDotNet.Attributes;
using Skyport.Features.Billing.Rating;

namespace Skyport.Benchmarks;

/// <summary>
/// Rating throughput: a year of events for 2,000 customers with 10 subscriptions each, rated into
/// twelve monthly reports per customer. Times are per event (OperationsPerInvoke), so events per
/// second = 1 s / the reported mean.
/// </summary>
[MemoryDiagnoser]
public class RatingThroughputBenchmarks
{
    public const int Customers = 2_000;
    public const int SubscriptionsPerCustomer = 10;
    public const int EventsPerSubscription = 24;
    public const int TotalEvents = Customers * SubscriptionsPerCustomer * EventsPerSubscription;

    private RatingInput[] _customers = [];

    [GlobalSetup]
    public void Setup() => _customers = [.. Enumerable.Range(0, Customers).Select(Customer)];

    [Benchmark(OperationsPerInvoke = TotalEvents)]
    public int RateAYearForAllCustomers()
    {
        var lines = 0;
        foreach (var customer in _customers)
        {
            foreach (var report in RatingEngine.Rate(customer).Reports)
            {
                foreach (var subscription in report.Subscriptions)
                {
                    lines += subscription.Lines.Count;
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// Each subscription is bought in January, grows on a day of every month and shrinks again the next
    /// day (inside the 168-hour window), so every event is accepted and produces a line. Offers mix P1M,
    /// P1Y billed monthly and P1Y billed annually; the customer list overrides a third of the prices.
    /// </summary>
    public static RatingInput Customer(int customer)
    {
        var offers = new[]
        {
            (Offer: "M365-BASIC", Term: TermDuration.P1M, Frequency: BillingFrequency.Monthly, Price: 6.00m),
            (Offer: "M365-E3", Term: TermDuration.P1Y, Frequency: BillingFrequency.Monthly, Price: 33.75m),
            (Offer: "M365-E5", Term: TermDuration.P1Y, Frequency: BillingFrequency.Annual, Price: 684.00m),
        };
        var global = offers
            .SelectMany(o => new[]
            {
                new PriceEntry(o.Offer, o.Term, o.Frequency, o.Price, new DateOnly(2020, 1, 1)),
                new PriceEntry(o.Offer, o.Term, o.Frequency, o.Price * 1.05m, new DateOnly(2025, 7, 1)),
            })
            .ToArray();
        var customerPrices = customer % 3 == 0
            ? offers.Select(o => new PriceEntry(o.Offer, o.Term, o.Frequency, o.Price * 0.9m, new DateOnly(2024, 1, 1))).ToArray()
            : [];

        var subscriptions = new List<SubscriptionPlan>();
        var events = new List<SubscriptionEvent>();
        for (var s = 0; s < SubscriptionsPerCustomer; s++)
        {
            var offer = offers[(customer + s) % offers.Length];
            var id = $"C{customer}-S{s}";
            subscriptions.Add(new SubscriptionPlan(id, offer.Offer, offer.Term, offer.Frequency, AutoRenew: true));
            var day = 1 + (customer + s) % 27;
            var seats = 5 + s;
            events.Add(new SubscriptionEvent(At(2025, 1, day), id, SubscriptionEventType.Purchase, seats));
            for (var month = 1; month <= 12; month++)
            {
                var grown = seats + 1 + month % 3;
                events.Add(new SubscriptionEvent(At(2025, month, day).AddHours(1), id, SubscriptionEventType.ChangeQuantity, grown));
                if (month < 12)
                {
                    events.Add(new SubscriptionEvent(At(2025, month, day).AddDays(1), id, SubscriptionEventType.ChangeQuantity, seats));
                }
            }
        }

        return new RatingInput(
            CycleEndDay: 1 + customer % 31,
            Currency: "EUR",
            new PriceLists(global, customerPrices),
            subscriptions,
            events,
            From: new BillingMonth(2025, 1),
            To: new BillingMonth(2025, 12));
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);
}
