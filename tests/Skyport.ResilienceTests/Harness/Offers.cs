namespace Skyport.ResilienceTests.Harness;

/// <summary>Offers of the emulator's catalog the harness buys, with the Graph SKU that Partner Center's licenses carry.</summary>
public static class Offers
{
    public const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    public const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT";

    public static readonly IReadOnlyDictionary<string, Guid> LicenseSku = new Dictionary<string, Guid>
    {
        [BusinessBasic] = Guid.Parse("3b555118-da6a-4418-894f-7df1e2096870"),
        [BusinessStandard] = Guid.Parse("f245ecc8-75af-4f8e-b61f-27d8114de5f3"),
    };
}
