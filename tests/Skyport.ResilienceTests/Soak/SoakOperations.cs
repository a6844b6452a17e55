namespace Skyport.ResilienceTests.Soak;

/// <summary>The soak's realistic mix; add a new operation here.</summary>
public static class SoakOperations
{
    public static readonly IReadOnlyList<SoakOperation> All =
    [
        new OnboardOperation(), new BuyOperation(), new ChangeQuantityOperation(), new SuspendOrActivateOperation(),
        new CreateUserOperation(), new AssignOperation(), new UnassignOperation(), new BuyAddOnOperation(), new SavePriceListOperation(),
        new CancelOperation(),
    ];
}
