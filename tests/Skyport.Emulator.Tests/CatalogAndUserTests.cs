using System.Net;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

[Collection(SharedEmulator.Name)]
public sealed class CatalogAndUserTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Catalog_lists_NCE_products_skus_availabilities_and_add_ons_with_prerequisites()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.GetAsync("/v1/products?country=US")).Response.StatusCode);
        var (response, products) = await emulator.GetAsync("/v1/products?country=US&targetView=OnlineServices");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(products.GetProperty("totalCount").GetInt32() >= 20);
        var basic = products.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "CFQ7TTC0LH18");
        Assert.Equal("OnlineServicesNCE", basic.GetProperty("productType").GetProperty("id").GetString());
        Assert.Equal("Microsoft 365 Business Basic", basic.GetProperty("title").GetString());

        var (_, sku) = await emulator.GetAsync("/v1/products/CFQ7TTC0LH18/skus/0001?country=US");
        Assert.Equal(300, sku.GetProperty("maximumQuantity").GetInt32());
        Assert.Equal("3b555118-da6a-4418-894f-7df1e2096870", sku.GetProperty("dynamicAttributes").GetProperty("provisioningId").GetString());
        Assert.False(sku.GetProperty("dynamicAttributes").GetProperty("isAddon").GetBoolean());

        var (_, availabilities) = await emulator.GetAsync("/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US");
        var availability = availabilities.GetProperty("items")[0];
        Assert.Equal(Catalog.BusinessBasic, availability.GetProperty("catalogItemId").GetString());
        var terms = availability.GetProperty("terms").EnumerateArray().Select(t => $"{t.GetProperty("duration").GetString()}/{t.GetProperty("billingCycle").GetString()}").ToList();
        Assert.Equal(["P1M/Monthly", "P1Y/Monthly", "P1Y/Annual"], terms);

        var (_, phone) = await emulator.GetAsync("/v1/products/CFQ7TTC0LH0T/skus/0001?country=US");
        Assert.True(phone.GetProperty("dynamicAttributes").GetProperty("isAddon").GetBoolean());
        Assert.Contains("CFQ7TTC0LH18:0001", phone.GetProperty("dynamicAttributes").GetProperty("prerequisiteSkus").EnumerateArray().Select(e => e.GetString()));

        var (notFound, error) = await emulator.GetAsync("/v1/products/NOPE");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Customer_users_are_created_listed_updated_reset_deleted_and_restored()
    {
        var (customerId, domain, _) = await emulator.CreateCustomerAsync("users");
        var upn = $"jane@{domain}";
        var create = new
        {
            UsageLocation = "US", UserPrincipalName = upn, FirstName = "Jane", LastName = "Doe", DisplayName = "Jane Doe",
            PasswordProfile = new { Password = "abCD123*xy", ForceChangePassword = true },
            Attributes = new { ObjectType = "CustomerUser" },
        };
        var (created, user) = await emulator.PostAsync($"/v1/customers/{customerId}/users", create);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("active", user.GetProperty("state").GetString());
        Assert.Equal("CustomerUser", user.GetProperty("attributes").GetProperty("objectType").GetString());
        var userId = user.GetProperty("id").GetString();

        var (duplicate, duplicateBody) = await emulator.PostAsync($"/v1/customers/{customerId}/users", create);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("userPrincipalName already exists", duplicateBody.GetProperty("description").GetString());

        var weak = await emulator.PostAsync($"/v1/customers/{customerId}/users", new
        {
            userPrincipalName = $"weak@{domain}", displayName = "Weak", passwordProfile = new { password = "password", forceChangePassword = true },
        });
        Assert.Equal(HttpStatusCode.BadRequest, weak.Response.StatusCode);
        Assert.Contains("password complexity", weak.Body.GetProperty("description").GetString());

        var (_, list) = await emulator.GetAsync($"/v1/customers/{customerId}/users?size=1");
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.True(list.GetProperty("links").TryGetProperty("next", out _));

        var (patched, patchedUser) = await emulator.PatchAsync($"/v1/customers/{customerId}/users/{userId}", new { displayName = "Jane Q. Doe", attributes = new { objectType = "CustomerUser" } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("Jane Q. Doe", patchedUser.GetProperty("displayName").GetString());

        var (reset, _) = await emulator.PatchAsync($"/v1/customers/{customerId}/users/{userId}", new { passwordProfile = new { password = "Renew456*ok", forceChangePassword = true } });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emulator.PostAsync("/_emulator/signin", new { userPrincipalName = upn, password = "Renew456*ok" })).Response.StatusCode);

        var deleted = await emulator.SendAsync(HttpMethod.Delete, $"/v1/customers/{customerId}/users/{userId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Response.StatusCode);
        var inactiveFilter = Uri.EscapeDataString("""{"Field":"UserState","Value":"Inactive","Operator":"equals"}""");
        var (_, deletedList) = await emulator.GetAsync($"/v1/customers/{customerId}/users?size=500&filter={inactiveFilter}");
        var deletedUser = deletedList.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("inactive", deletedUser.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, deletedUser.GetProperty("softDeletionTime").ValueKind);

        var (restored, restoredUser) = await emulator.PatchAsync($"/v1/customers/{customerId}/users/{userId}", new { State = "active", Attributes = new { ObjectType = "CustomerUser" } });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("active", restoredUser.GetProperty("state").GetString());

        var (missing, missingBody) = await emulator.GetAsync($"/v1/customers/{customerId}/users/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(60002, missingBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Licenses_follow_subscribed_units_and_run_out_with_60012()
    {
        var (customerId, domain, _) = await emulator.CreateCustomerAsync("licenses");
        await emulator.BuyAsync(customerId, Catalog.PowerBiPro, 1);
        var (_, users) = await emulator.GetAsync($"/v1/customers/{customerId}/users");
        var adminId = users.GetProperty("items")[0].GetProperty("id").GetString();
        var (_, other) = await emulator.PostAsync($"/v1/customers/{customerId}/users", new
        {
            userPrincipalName = $"nolocation@{domain}", displayName = "No Location", passwordProfile = new { password = "abCD123*xy" },
        });
        var assign = new { LicensesToAssign = new[] { new { ExcludedPlans = (string[]?)null, SkuId = Catalog.PowerBiProSku.ToString() } }, LicensesToRemove = (string[]?)null, Attributes = new { ObjectType = "LicenseUpdate" } };

        var (noLocation, noLocationBody) = await emulator.PostAsync($"/v1/customers/{customerId}/users/{other.GetProperty("id").GetString()}/licenseupdates", assign);
        Assert.Equal(HttpStatusCode.BadRequest, noLocation.StatusCode);
        Assert.Contains("usage location", noLocationBody.GetProperty("description").GetString());

        var (assigned, assignedBody) = await emulator.PostAsync($"/v1/customers/{customerId}/users/{adminId}/licenseupdates", assign);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        Assert.Equal("LicenseUpdate", assignedBody.GetProperty("attributes").GetProperty("objectType").GetString());

        var (_, skus) = await emulator.GetAsync($"/v1/customers/{customerId}/subscribedskus");
        var pbi = skus.GetProperty("items")[0];
        Assert.Equal(1, pbi.GetProperty("totalUnits").GetInt32());
        Assert.Equal(1, pbi.GetProperty("consumedUnits").GetInt32());
        Assert.Equal(0, pbi.GetProperty("availableUnits").GetInt32());
        Assert.Equal("POWER_BI_PRO", pbi.GetProperty("productSku").GetProperty("skuPartNumber").GetString());

        await emulator.PatchAsync($"/v1/customers/{customerId}/users/{other.GetProperty("id").GetString()}", new { usageLocation = "US" });
        var (exhausted, exhaustedBody) = await emulator.PostAsync($"/v1/customers/{customerId}/users/{other.GetProperty("id").GetString()}/licenseupdates", assign);
        Assert.Equal(HttpStatusCode.BadRequest, exhausted.StatusCode);
        Assert.Equal(60012, exhaustedBody.GetProperty("code").GetInt32());
        Assert.Equal("PartnerFD", exhaustedBody.GetProperty("source").GetString());

        var (_, licenses) = await emulator.GetAsync($"/v1/customers/{customerId}/users/{adminId}/licenses");
        Assert.Equal("POWER_BI_PRO", licenses.GetProperty("items")[0].GetProperty("productSku").GetProperty("skuPartNumber").GetString());

        var (removed, _) = await emulator.PostAsync($"/v1/customers/{customerId}/users/{adminId}/licenseupdates", new { licensesToRemove = new[] { Catalog.PowerBiProSku.ToString() } });
        Assert.Equal(HttpStatusCode.Created, removed.StatusCode);
        var (_, after) = await emulator.GetAsync($"/v1/customers/{customerId}/subscribedskus");
        Assert.Equal(1, after.GetProperty("items")[0].GetProperty("availableUnits").GetInt32());
    }
}
