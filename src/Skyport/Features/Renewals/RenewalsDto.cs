namespace Skyport.Features.Renewals;

public sealed record RenewalsDto(Guid OrganizationId, DateOnly Today, int Days, decimal MonthlyBefore, decimal MonthlyAfter, IReadOnlyList<RenewalDto> Items)
{
    public static RenewalsDto From(Guid organizationId, DateOnly today, int days, IReadOnlyList<RenewalAhead> items) => new(
        organizationId, today, days, items.Sum(i => i.MonthlyBefore), items.Sum(i => i.MonthlyAfter), [.. items.Select(RenewalDto.From)]);
}
