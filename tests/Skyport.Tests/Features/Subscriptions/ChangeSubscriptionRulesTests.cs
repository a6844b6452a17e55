using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.Web;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class ChangeSubscriptionRulesTests
{
    [Fact]
    public void A_request_that_changes_nothing_says_what_can_be_changed()
    {
        var failure = ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(null, null, null, null)).Failure!;
        Assert.Equal(FailureKind.Invalid, failure.Kind);
        Assert.Equal("Say what to change: quantity, status, autoRenew, endOfTermAction or friendlyName.", failure.Errors!["quantity"].Single());
    }

    [Theory]
    [InlineData(0, null, null, "quantity")]
    [InlineData(10_001, null, null, "quantity")]
    [InlineData(null, "deleted", null, "status")]
    [InlineData(2, "cancelled", null, "status")]
    [InlineData(null, "", null, "status")]
    [InlineData(null, null, 101, "friendlyName")]
    [InlineData(0, "deleted", 101, "friendlyName,quantity,status")]
    public void Bad_fields_are_named(int? quantity, string? status, int? friendlyNameLength, string fields)
    {
        var request = new ChangeSubscriptionRequest(quantity, status, null, friendlyNameLength is { } n ? new string('f', n) : null);
        Assert.Equal(fields.Split(','), ChangeSubscriptionRules.Check(request).Failure!.Errors!.Keys.Order());
    }

    [Theory]
    [InlineData("later", null, "endOfTermAction")]
    [InlineData("extend", true, "endOfTermAction")]
    public void A_bad_end_of_term_action_is_named(string action, bool? autoRenew, string field)
    {
        var request = new ChangeSubscriptionRequest(null, null, autoRenew, null, action);
        Assert.Equal([field], ChangeSubscriptionRules.Check(request).Failure!.Errors!.Keys);
    }

    [Fact]
    public void The_end_of_term_action_is_trimmed_and_lower_case_and_a_cancellation_stands_alone()
    {
        Assert.Equal("cancel", ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(null, null, null, null, " Cancel ")).Value!.EndOfTermAction);
        Assert.Equal("cancelled", ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(null, "Cancelled", null, null)).Value!.Status);
    }

    [Fact]
    public void Status_is_trimmed_and_lower_case_and_the_friendly_name_trimmed_with_empty_kept_to_remove_it()
    {
        Assert.Equal(new ChangeSubscriptionRequest(10_000, "suspended", false, "Sales"),
            ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(10_000, " Suspended ", false, "  Sales ")).Value);
        Assert.Equal(new ChangeSubscriptionRequest(null, "active", null, ""),
            ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(null, "ACTIVE", null, "   ")).Value);
        Assert.True(ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(null, null, true, null)).Succeeded);
        Assert.True(ChangeSubscriptionRules.Check(new ChangeSubscriptionRequest(1, null, null, $" {new string('f', 100)} ")).Succeeded);
    }

    [Fact]
    public void A_refused_decrease_tells_when_its_window_closed_and_how_many_licenses_to_unassign()
    {
        var closed = new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
        var late = ChangeSubscriptionRules.QuantityRefused(RuleDecision.Refused("The window closed.", closed), 4, 2);
        Assert.Equal(FailureKind.RuleRefused, late.Kind);
        Assert.Equal("The window closed.", late.Detail);
        Assert.Equal(new Dictionary<string, object?> { ["windowClosedAt"] = closed }, late.Extensions);

        var assigned = ChangeSubscriptionRules.QuantityRefused(RuleDecision.Refused("Unassign licenses first."), 3, 7);
        Assert.Equal(new Dictionary<string, object?> { ["licensesToUnassign"] = 4 }, assigned.Extensions);

        Assert.Empty(ChangeSubscriptionRules.QuantityRefused(RuleDecision.Refused("Suspended."), 7, 7).Extensions!);
    }

    [Theory]
    [InlineData(SubscriptionEventKind.ChangeQuantity, "Change quantity")]
    [InlineData(SubscriptionEventKind.Suspend, "Suspend subscription")]
    [InlineData(SubscriptionEventKind.Activate, "Activate subscription")]
    [InlineData(SubscriptionEventKind.SetAutoRenew, "Set auto-renew")]
    [InlineData(null, "Rename subscription")]
    public void Each_change_has_its_name_in_the_audit_log(SubscriptionEventKind? kind, string action) =>
        Assert.Equal(action, ChangeSubscriptionRules.AuditAction(kind));
}
