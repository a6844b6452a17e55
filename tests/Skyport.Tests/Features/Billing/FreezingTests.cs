using System.Globalization;
using Skyport.Features.Billing.Issuing;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>Issued reports are frozen; later changes to an issued cycle become correction lines on the current cycle's report.</summary>
public sealed class FreezingTests
{
    private static readonly DateOnly Corrected = new(2025, 2, 16);

    // Lines as "subscription type start..end quantity x price = amount source".
    [Theory]
    [InlineData("nothing changed: nothing to correct",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global",
        "")]
    [InlineData("a price list edit: the old price comes off, the new one goes on",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 6.00 = 12.00 customer",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global",
        "S1 correction 2025-01-16..2025-02-15 2 x 6.00 = 12.00 customer|S1 correction 2025-01-16..2025-02-15 -2 x 5.00 = -10.00 global")]
    [InlineData("a late increase",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global;S1 proRata 2025-02-01..2025-02-15 1 x 5.00 = 2.42 global",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global",
        "S1 correction 2025-02-01..2025-02-15 1 x 5.00 = 2.42 global")]
    [InlineData("a late purchase of a subscription never billed",
        "S2 proRata 2025-02-01..2025-02-15 3 x 5.00 = 7.26 global",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global",
        "S2 correction 2025-02-01..2025-02-15 3 x 5.00 = 7.26 global|S1 correction 2025-01-16..2025-02-15 -2 x 5.00 = -10.00 global")]
    [InlineData("a refund that no longer happens is charged back",
        "S1 cycleFee 2025-01-16..2025-02-15 5 x 5.00 = 25.00 global",
        "S1 cycleFee 2025-01-16..2025-02-15 5 x 5.00 = 25.00 global;S1 refund 2025-02-01..2025-02-15 2 x 5.00 = -4.84 global",
        "S1 correction 2025-02-01..2025-02-15 2 x 5.00 = 4.84 global")]
    [InlineData("a correction already issued is not repeated",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 6.00 = 12.00 customer",
        "S1 cycleFee 2025-01-16..2025-02-15 2 x 5.00 = 10.00 global;S1 correction 2025-01-16..2025-02-15 2 x 6.00 = 12.00 customer;S1 correction 2025-01-16..2025-02-15 -2 x 5.00 = -10.00 global",
        "")]
    [InlineData("one line of two seats against two of one: only the rounding cent",
        "S1 proRata 2025-02-01..2025-02-15 2 x 2.01 = 1.95 global",
        "S1 proRata 2025-02-01..2025-02-15 1 x 2.01 = 0.97 global;S1 proRata 2025-02-01..2025-02-15 1 x 2.01 = 0.97 global",
        "S1 correction 2025-02-01..2025-02-15 0 x 2.01 = 0.01 global")]
    public void A_correction_is_what_is_rated_now_minus_what_was_billed(string why, string now, string billed, string expected)
    {
        var corrections = Freezing.Corrections(Corrected, Parse(now), Parse(billed));

        Assert.True(corrections.All(c => c.Type == ReportLine.Correction && c.Corrects == Corrected), why);
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), corrections.Select(Describe));
    }

    [Fact]
    public void Closed_cycles_are_issued_with_the_engines_lines_and_the_current_cycle_stays_live()
    {
        var rated = Rate(A.Scenario().WithGlobalPrice(5.00m).WithSubscription("S1").Purchase("S1", "2025-02-01T10:00:00Z", 2), "2025-01", "2025-04");

        var statements = Freezing.Settle(rated, [], issueFrom: new DateOnly(2025, 2, 16), today: new DateOnly(2025, 3, 20));

        Assert.Equal([StatementState.Live, StatementState.NewlyIssued, StatementState.NewlyIssued, StatementState.Live],
            statements.Select(s => s.State));
        Assert.Equal(["S1 proRata 2025-02-01..2025-02-15 2 x 5.00 = 4.84 global"], statements[1].Lines.Select(Describe));
        Assert.Equal(["S1 cycleFee 2025-02-16..2025-03-15 2 x 5.00 = 10.00 global"], statements[2].Lines.Select(Describe));
        Assert.Equal(["S1 cycleFee 2025-03-16..2025-04-15 2 x 5.00 = 10.00 global"], statements[3].Lines.Select(Describe));
    }

    [Fact]
    public void An_issued_cycle_stays_as_issued_and_a_late_change_is_corrected_once_in_the_current_cycle()
    {
        var before = A.Scenario().WithGlobalPrice(5.00m).WithSubscription("S1").Purchase("S1", "2025-02-01T10:00:00Z", 2);
        var issued = Freezing.Settle(Rate(before, "2025-02", "2025-03"), [], new DateOnly(2025, 2, 16), new DateOnly(2025, 3, 20))
            .Where(s => s.State == StatementState.NewlyIssued).Select(s => s with { State = StatementState.Issued }).ToList();
        // Partner Center tells Skyport late of an increase on 2025-02-10 (R7 window is open: within 168 hours of the purchase).
        var late = before.ChangeQuantity("S1", "2025-02-05T10:00:00Z", 3);

        var statements = Freezing.Settle(Rate(late, "2025-02", "2025-04"), issued, new DateOnly(2025, 2, 16), new DateOnly(2025, 3, 20));

        Assert.Equal(issued[0], statements[0]);
        Assert.Equal(issued[0].Lines, statements[0].Lines);
        Assert.Equal([
            "S1 cycleFee 2025-03-16..2025-04-15 3 x 5.00 = 15.00 global",
            "S1 correction 2025-02-05..2025-02-15 1 x 5.00 = 1.77 global",
            "S1 correction 2025-02-16..2025-03-15 1 x 5.00 = 5.00 global",
        ], statements[2].Lines.Select(Describe));
        Assert.Equal([new DateOnly(2025, 2, 16), new DateOnly(2025, 3, 16)], statements[2].Lines.Skip(1).Select(l => l.Corrects!.Value));

        // Issued with the April cycle, the corrections are not repeated in May's.
        var april = issued.Concat([statements[2] with { State = StatementState.Issued }]).ToList();
        var may = Freezing.Settle(Rate(late, "2025-02", "2025-05"), april, new DateOnly(2025, 2, 16), new DateOnly(2025, 4, 20));
        Assert.Equal(["S1 cycleFee 2025-04-16..2025-05-15 3 x 5.00 = 15.00 global"], may[3].Lines.Select(Describe));
        Assert.Equal(StatementState.Issued, may[2].State);
    }

    [Fact]
    public void Cycles_issued_together_carry_no_corrections_and_later_open_cycles_none_either()
    {
        var scenario = A.Scenario().WithGlobalPrice(5.00m).WithSubscription("S1").Purchase("S1", "2025-02-01T10:00:00Z", 2);

        var statements = Freezing.Settle(Rate(scenario, "2025-02", "2025-06"), [], new DateOnly(2025, 2, 16), new DateOnly(2025, 4, 20));

        Assert.DoesNotContain(statements.SelectMany(s => s.Lines), l => l.Type == ReportLine.Correction);
        Assert.Equal([StatementState.NewlyIssued, StatementState.NewlyIssued, StatementState.NewlyIssued, StatementState.Live, StatementState.Live],
            statements.Select(s => s.State));
    }

    [Fact]
    public void A_price_list_edit_with_a_past_effective_date_is_corrected_and_a_subscription_billed_only_by_corrections_comes_last()
    {
        var issuedScenario = A.Scenario().WithGlobalPrice(5.00m).WithSubscription("S1").WithSubscription("S2")
            .Purchase("S1", "2025-02-16T10:00:00Z", 2).Purchase("S2", "2025-02-16T11:00:00Z", 1).Cancel("S2", "2025-02-17T11:00:00Z");
        var issued = Freezing.Settle(Rate(issuedScenario, "2025-03", "2025-03"), [], new DateOnly(2025, 3, 16), new DateOnly(2025, 3, 20))
            .Select(s => s with { State = StatementState.Issued }).ToList();
        var edited = issuedScenario.WithCustomerPrice(4.00m, from: "2025-01-01");

        var current = Freezing.Settle(Rate(edited, "2025-03", "2025-04"), issued, new DateOnly(2025, 3, 16), new DateOnly(2025, 3, 20))[1];

        Assert.Equal([
            "S1 cycleFee 2025-03-16..2025-04-15 2 x 4.00 = 8.00 customer",
            "S1 correction 2025-02-16..2025-03-15 2 x 4.00 = 8.00 customer",
            "S1 correction 2025-02-16..2025-03-15 -2 x 5.00 = -10.00 global",
            "S2 correction 2025-02-16..2025-03-15 1 x 4.00 = 4.00 customer",
            "S2 correction 2025-02-17..2025-03-15 -1 x 4.00 = -3.86 customer",
            "S2 correction 2025-02-16..2025-03-15 -1 x 5.00 = -5.00 global",
            "S2 correction 2025-02-17..2025-03-15 1 x 5.00 = 4.82 global",
        ], current.Lines.Select(Describe));
        Assert.Equal(8.00m - 2.00m - 0.04m, current.Total);
    }

    [Theory]
    [InlineData("nothing recorded since long before the issue", "2025-03-16T00:05:00Z", "2025-03-01T09:00:00Z", true)]
    [InlineData("nothing ever recorded (no events, no price list saved)", "2025-03-16T00:05:00Z", null, true)]
    [InlineData("a change recorded one second after the issue", "2025-03-16T00:05:00Z", "2025-03-16T00:05:01Z", false)]
    [InlineData("a change recorded at the very instant of the issue", "2025-03-16T00:05:00Z", "2025-03-16T00:05:00Z", false)]
    [InlineData("a change stamped one second before the issue may commit after the issue read", "2025-03-16T00:05:00Z", "2025-03-16T00:04:59Z", false)]
    [InlineData("a change stamped exactly the margin before the issue", "2025-03-16T00:05:00Z", "2025-03-15T23:55:00Z", false)]
    [InlineData("a change stamped one second more than the margin before the issue", "2025-03-16T00:05:00Z", "2025-03-15T23:54:59Z", true)]
    [InlineData("the last closed cycle is not issued yet: issuing it works out its corrections", null, "2025-03-01T09:00:00Z", false)]
    [InlineData("nothing issued and nothing recorded", null, null, false)]
    public void Only_a_customer_with_nothing_recorded_since_its_last_closed_cycle_was_issued_has_nothing_to_correct(
        string why, string? lastClosedIssuedAt, string? latestChange, bool expected)
    {
        Assert.Equal(10, Freezing.UnseenWrites.TotalMinutes);
        Assert.True(expected == Freezing.NothingToCorrect(Instant(lastClosedIssuedAt), Instant(latestChange)), why);

        static DateTimeOffset? Instant(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void An_unchanged_customer_reads_its_issued_cycles_and_gets_the_same_open_cycle_as_a_full_settlement()
    {
        var scenario = A.Scenario().WithGlobalPrice(5.00m).WithCustomerPrice(4.00m, from: "2025-03-01").WithSubscription("S1").WithSubscription("S2")
            .Purchase("S1", "2025-02-01T10:00:00Z", 2).Purchase("S2", "2025-02-20T10:00:00Z", 1).ChangeQuantity("S1", "2025-02-03T10:00:00Z", 3);
        var issued = Freezing.Settle(Rate(scenario, "2025-02", "2025-04"), [], new DateOnly(2025, 2, 16), new DateOnly(2025, 4, 20))
            .Where(s => s.State == StatementState.NewlyIssued).Select(s => s with { State = StatementState.Issued }).ToList();
        var settled = Freezing.Settle(Rate(scenario, "2025-01", "2025-06"), issued, new DateOnly(2025, 2, 16), new DateOnly(2025, 4, 20));

        // Only the asked cycles (2025-04..2025-06) are rated, and only their issued reports read.
        var unchanged = Freezing.Unchanged(Rate(scenario, "2025-04", "2025-06"), [.. issued.Where(s => s.BillingDate >= new DateOnly(2025, 4, 16))]);

        Assert.Equal(settled.Skip(3).Select(s => (s.BillingDate, s.State)), unchanged.Select(s => (s.BillingDate, s.State)));
        Assert.Equal(settled.Skip(3).Select(s => string.Join(";", s.Lines.Select(Describe))), unchanged.Select(s => string.Join(";", s.Lines.Select(Describe))));
        Assert.Same(issued[^1], unchanged[0]);
        Assert.Equal([StatementState.Issued, StatementState.Live, StatementState.Live], unchanged.Select(s => s.State));
        Assert.NotEmpty(unchanged[1].Lines);
        Assert.DoesNotContain(unchanged.SelectMany(s => s.Lines), l => l.Type == ReportLine.Correction);
    }

    private static IReadOnlyList<BillingReport> Rate(ScenarioBuilder scenario, string from, string to)
    {
        Assert.True(BillingScenario.TryRead(scenario.Reports(from, to).Build(), out var input, out _));
        return RatingEngine.Rate(input!).Reports;
    }

    private static string Describe(ReportLine l) => string.Create(CultureInfo.InvariantCulture,
        $"{l.SubscriptionId} {l.Type} {l.PeriodStart:yyyy-MM-dd}..{l.PeriodEnd:yyyy-MM-dd} {l.Quantity} x {l.UnitPrice:0.00} = {l.Amount:0.00} {l.PriceSource}");

    private static List<ReportLine> Parse(string lines) => [.. lines.Split(';').Select(text =>
    {
        var p = text.Split(' ');
        var period = p[2].Split("..");
        return new ReportLine(p[0], null, "M365-BASIC", p[1], DateOnly.Parse(period[0], CultureInfo.InvariantCulture), DateOnly.Parse(period[1], CultureInfo.InvariantCulture),
            int.Parse(p[3], CultureInfo.InvariantCulture), decimal.Parse(p[5], CultureInfo.InvariantCulture), decimal.Parse(p[7], CultureInfo.InvariantCulture), p[8],
            p[1] == ReportLine.Correction ? Corrected : null);
    })];
}
