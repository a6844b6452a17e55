using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Subscriptions;
using Skyport.PartnerCenterEmulator.Users;

namespace Skyport.Emulator.Tests;

/// <summary>The pure rules, pinned by tables.</summary>
public sealed class RuleTests
{
    [Theory]
    [InlineData("2021-01-14", "P1Y", 0, "2022-01-13")] // Microsoft's own example: inclusive end date
    [InlineData("2026-01-10", "P1M", 0, "2026-02-09")]
    [InlineData("2026-01-10", "P1M", 11, "2027-01-09")]
    [InlineData("2026-01-31", "P1M", 0, "2026-02-27")]
    [InlineData("2026-01-31", "P1M", 1, "2026-03-30")]
    [InlineData("2024-02-29", "P1Y", 0, "2025-02-27")]
    [InlineData("2026-03-01", "P3Y", 0, "2029-02-28")]
    public void Term_end_dates_are_inclusive_and_do_not_drift(string anchor, string term, int index, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), Terms.TermEnd(DateOnly.Parse(anchor), term, index));

    [Theory]
    [InlineData(0, true)]
    [InlineData(167, true)]
    [InlineData(168, true)]
    [InlineData(169, false)]
    public void Seats_can_be_removed_until_168_hours_after_they_were_added(int hoursLater, bool allowed)
    {
        var added = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(allowed, Terms.WithinReductionWindow(added, added.AddHours(hoursLater)));
    }

    [Fact]
    public void Removing_seats_takes_the_newest_refundable_ones_and_refuses_older_ones()
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var seats = new List<SeatAddition> { new(5, t0), new(3, t0.AddDays(10)) };
        var now = t0.AddDays(11);
        Assert.Equal(3, SeatWindow.Refundable(seats, now));
        Assert.Equal([new SeatAddition(5, t0), new SeatAddition(1, t0.AddDays(10))], SeatWindow.Remove(seats, 2, now));
        Assert.Null(SeatWindow.Remove(seats, 4, now));
    }

    [Theory]
    [InlineData("abCD123*", true)]
    [InlineData("abcd1234", false)] // two classes
    [InlineData("abcdEFGH", false)]
    [InlineData("abcdEF12", true)]
    [InlineData("Ab1!", false)] // too short
    [InlineData("Pässword12", false)] // non-ASCII
    [InlineData("with space A1", true)]
    public void Passwords_follow_the_Entra_policy(string password, bool valid) => Assert.Equal(valid, PasswordPolicy.IsValid(password));

    [Fact]
    public void Passwords_longer_than_256_characters_are_refused() =>
        Assert.False(PasswordPolicy.IsValid("Aa1!" + new string('x', 253)));

    [Fact]
    public void Generated_passwords_pass_the_policy()
    {
        var random = new Random(7);
        for (var i = 0; i < 100; i++) Assert.True(PasswordPolicy.IsValid(PasswordPolicy.Generate(random)));
    }

    [Theory]
    [InlineData("jane@contoso.onmicrosoft.com", true)]
    [InlineData("o'neil.j_1@contoso.onmicrosoft.com", true)]
    [InlineData("jane.@contoso.onmicrosoft.com", false)]
    [InlineData("jane", false)]
    [InlineData("ja ne@contoso.onmicrosoft.com", false)]
    [InlineData("a@b@contoso.onmicrosoft.com", false)]
    public void User_principal_names_follow_the_Entra_rules(string upn, bool valid) =>
        Assert.Equal(valid, PasswordPolicy.IsValidUserPrincipalName(upn));

    [Theory]
    // Microsoft's scenarios 1 and 2: a 30-day period starting on the first purchase (the doc prints its start a day early).
    [InlineData("2019-06-11", "2019-07-10", "2019-06-12", 4, 1, 3.87)]
    [InlineData("2019-06-11", "2019-07-10", "2019-06-12", 4, 2, 7.74)]
    [InlineData("2019-06-11", "2019-07-10", "2019-06-11", 4, 2, 8.00)]
    public void Proration_rounds_the_unit_amount_first(string start, string end, string from, decimal price, int quantity, decimal expected) =>
        Assert.Equal(expected, Proration.Amount(price, DateOnly.Parse(start), DateOnly.Parse(end), DateOnly.Parse(from), quantity));

    [Fact]
    public void Case_insensitive_bodies_report_wrong_types()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{ "Quantity": "3", "FRIENDLYNAME": "x" }""");
        var body = JsonBody.Of(doc.RootElement.Clone());
        Assert.Equal("x", body.String("friendlyName"));
        Assert.Null(body.Int("quantity"));
        Assert.True(body.HasErrors);
    }
}
