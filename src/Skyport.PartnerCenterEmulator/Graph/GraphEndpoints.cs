using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Users;

namespace Skyport.PartnerCenterEmulator.Graph;

/// <summary>Microsoft Graph v1.0 for the tenant the caller's token was issued for.</summary>
public static partial class GraphEndpoints
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 999;

    private static readonly string[] DefaultProperties =
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"];

    private static readonly string[] AllProperties =
        [.. DefaultProperties, "accountEnabled", "usageLocation", "mailNickname", "assignedLicenses", "createdDateTime", "otherMails", "userType"];

    private static readonly string[] DeltaSpellings = ["delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"];

    /// <summary>"For directory objects, the limit is seven days." (graph/delta-query-overview)</summary>
    public static readonly TimeSpan DeltaTokenLifetime = TimeSpan.FromDays(7);

    public static void Map(WebApplication app)
    {
        var graph = app.MapGroup("/graph/v1.0");
        graph.MapGet("/users", ListAsync);
        graph.MapPost("/users", CreateAsync);
        graph.MapGet("/users/{id}", (string id, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
            DeltaSpellings.Contains(id, StringComparer.OrdinalIgnoreCase) ? DeltaAsync(http, db, clock) : GetAsync(id, http, db));
        graph.MapPatch("/users/{id}", UpdateAsync);
        graph.MapDelete("/users/{id}", async (string id, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await TenantDirectory.FindUserAsync(db, http.TokenTenant(), id) is not { } user) return Errors.GraphNotFound(http, id);
            user.State = UserStates.Inactive;
            user.SoftDeletedAt = clock.UtcNow;
            await TenantDirectory.TouchAsync(db, user);
            await db.SaveChangesAsync();
            return Results.NoContent();
        });
        graph.MapGet("/directory/deletedItems/microsoft.graph.user", DeletedUsersAsync);
        graph.MapGet("/directory/deletedItems/graph.user", DeletedUsersAsync);
        graph.MapPost("/directory/deletedItems/{id}/restore", RestoreAsync);
        graph.MapPost("/directory/deletedItems/{id}/microsoft.graph.restore", RestoreAsync);
        graph.MapFallback("{**rest}", (HttpContext http) =>
        {
            var segment = (http.Request.Path.Value ?? "")["/graph/v1.0/".Length..].Split('/')[0];
            return Errors.Graph(http, 400, "BadRequest", $"Resource not found for the segment '{segment}'.");
        });
        graph.MapPost("/users/{id}/assignLicense", AssignLicenseAsync);
        graph.MapPost("/users/{id}/microsoft.graph.assignLicense", AssignLicenseAsync);
        graph.MapGet("/users/{id}/licenseDetails", async (string id, HttpContext http, EmulatorDb db) =>
        {
            if (await TenantDirectory.FindUserAsync(db, http.TokenTenant(), id) is not { } user) return Errors.GraphNotFound(http, id);
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = $"{Base(http)}/$metadata#users('{user.Id}')/licenseDetails",
                ["value"] = user.Licenses.Select(l => CatalogData.ByGraphSku(l.SkuId)!).Select(i => new
                {
                    id = Convert.ToBase64String(user.Id.ToByteArray().Concat(i.GraphSkuId.ToByteArray()).ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                    skuId = i.GraphSkuId,
                    skuPartNumber = i.SkuPartNumber,
                    servicePlans = Array.Empty<object>(),
                }).ToArray(),
            }, Json.Graph);
        });
        graph.MapGet("/subscribedSkus", async (HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            var tenantId = http.TokenTenant();
            var tenant = await db.Tenants.FindAsync(tenantId);
            var units = await TenantDirectory.UnitsAsync(db, tenantId, clock.UtcNow);
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = $"{Base(http)}/$metadata#subscribedSkus",
                ["value"] = units.Select(u => new
                {
                    accountName = tenant?.CompanyName,
                    accountId = tenantId,
                    appliesTo = "User",
                    capabilityStatus = u.CapabilityStatus,
                    consumedUnits = u.Consumed,
                    id = $"{tenantId}_{u.Item.GraphSkuId}",
                    prepaidUnits = new { enabled = u.Active, lockedOut = 0, suspended = u.Suspended, warning = u.Warning },
                    servicePlans = Array.Empty<object>(),
                    skuId = u.Item.GraphSkuId,
                    skuPartNumber = u.Item.SkuPartNumber,
                    subscriptionIds = u.SubscriptionIds,
                }).ToArray(),
            }, Json.Graph);
        });
        graph.MapGet("/domains", async (HttpContext http, EmulatorDb db) =>
        {
            var tenant = await db.Tenants.FindAsync(http.TokenTenant());
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = $"{Base(http)}/$metadata#domains",
                ["value"] = new[]
                {
                    new
                    {
                        authenticationType = "Managed",
                        availabilityStatus = (string?)null,
                        id = tenant!.Domain,
                        isAdminManaged = true,
                        isDefault = true,
                        isInitial = true,
                        isRoot = true,
                        isVerified = true,
                        supportedServices = new[] { "Email", "OfficeCommunicationsOnline" },
                    },
                },
            }, Json.Graph);
        });
    }

    public static string Base(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/graph/v1.0";

    private static (string[]? Select, IResult? Error) ParseSelect(HttpContext http, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        var result = new List<string>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = AllProperties.FirstOrDefault(p => p.Equals(raw, StringComparison.OrdinalIgnoreCase));
            if (match is null) return (null, Errors.GraphBadRequest(http, $"Could not find a property named '{raw}' on type 'microsoft.graph.user'."));
            if (!result.Contains(match)) result.Add(match);
        }
        if (!result.Contains("id")) result.Insert(0, "id");
        return ([.. result], null);
    }

    public static Dictionary<string, object?> UserJson(DirectoryUser u, string[]? select)
    {
        var all = new Dictionary<string, object?>
        {
            ["id"] = u.Id,
            ["businessPhones"] = u.PhoneNumber is { Length: > 0 } p ? new[] { p } : Array.Empty<string>(),
            ["displayName"] = u.DisplayName,
            ["givenName"] = u.GivenName,
            ["jobTitle"] = u.JobTitle,
            ["mail"] = u.Mail,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = null,
            ["surname"] = u.Surname,
            ["userPrincipalName"] = u.UserPrincipalName,
            ["accountEnabled"] = u.AccountEnabled,
            ["usageLocation"] = u.UsageLocation,
            ["mailNickname"] = u.MailNickname,
            ["assignedLicenses"] = u.Licenses.Select(l => new { disabledPlans = l.DisabledPlans, skuId = l.SkuId }).ToArray(),
            ["createdDateTime"] = new DateTimeOffset(u.CreatedAt, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["otherMails"] = Array.Empty<string>(),
            ["userType"] = "Member",
        };
        var keys = select ?? DefaultProperties;
        return keys.ToDictionary(k => k, k => all[k]);
    }

    [GeneratedRegex(@"^\s*(userPrincipalName|mail|id|displayName|mailNickname)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex EqualsFilter();

    [GeneratedRegex(@"^\s*startswith\(\s*(userPrincipalName|mail|displayName|givenName|surname)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithFilter();

    private static Func<DirectoryUser, bool>? ParseFilter(string filter)
    {
        if (EqualsFilter().Match(filter) is { Success: true } eq)
        {
            var value = eq.Groups[2].Value.Replace("''", "'");
            return eq.Groups[1].Value.ToLowerInvariant() switch
            {
                "userprincipalname" => u => u.UserPrincipalName.Equals(value, StringComparison.OrdinalIgnoreCase),
                "mail" => u => string.Equals(u.Mail, value, StringComparison.OrdinalIgnoreCase),
                "id" => u => u.Id.ToString().Equals(value, StringComparison.OrdinalIgnoreCase),
                "displayname" => u => u.DisplayName.Equals(value, StringComparison.OrdinalIgnoreCase),
                _ => u => string.Equals(u.MailNickname, value, StringComparison.OrdinalIgnoreCase),
            };
        }
        if (StartsWithFilter().Match(filter) is { Success: true } sw)
        {
            var value = sw.Groups[2].Value.Replace("''", "'");
            Func<DirectoryUser, string?> field = sw.Groups[1].Value.ToLowerInvariant() switch
            {
                "userprincipalname" => u => u.UserPrincipalName,
                "mail" => u => u.Mail,
                "displayname" => u => u.DisplayName,
                "givenname" => u => u.GivenName,
                _ => u => u.Surname,
            };
            return u => field(u)?.StartsWith(value, StringComparison.OrdinalIgnoreCase) == true;
        }
        return null;
    }

    private static async Task<IResult> ListAsync(HttpContext http, EmulatorDb db)
    {
        var query = http.Request.Query;
        var top = DefaultPageSize;
        if (query["$top"].ToString() is { Length: > 0 } topText && (!int.TryParse(topText, out top) || top < 1 || top > MaxPageSize))
        {
            return Errors.Graph(http, 400, "Request_UnsupportedQuery", $"Invalid page size specified: '{topText}'. Must be between 1 and {MaxPageSize} inclusive.");
        }
        var (select, selectError) = ParseSelect(http, query["$select"]);
        if (selectError is not null) return selectError;
        Func<DirectoryUser, bool> filter = _ => true;
        var filterText = query["$filter"].ToString();
        if (filterText.Length > 0)
        {
            if (ParseFilter(filterText) is not { } parsed)
            {
                return Errors.Graph(http, 400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for property '{filterText}' of resource 'User'.");
            }
            filter = parsed;
        }
        long after = 0;
        if (query["$skiptoken"].ToString() is { Length: > 0 } skip && !TryReadToken(skip, "u", out after))
        {
            return Errors.GraphBadRequest(http, "Invalid $skiptoken.");
        }
        var tenantId = http.TokenTenant();
        // Streamed and stopped at one user past the page, so a page costs its own size rather than the rest of the tenant.
        var users = new List<DirectoryUser>();
        await foreach (var user in db.Users.Where(u => u.TenantId == tenantId && u.State == UserStates.Active && u.Seq > after).OrderBy(u => u.Seq).AsAsyncEnumerable())
        {
            if (!filter(user)) continue;
            users.Add(user);
            if (users.Count > top) break;
        }
        var more = users.Count > top;
        users = users.Take(top).ToList();
        var body = new Dictionary<string, object?>
        {
            ["@odata.context"] = $"{Base(http)}/$metadata#users" + (select is null ? "" : $"({string.Join(',', select)})"),
        };
        if (more)
        {
            var next = new StringBuilder($"{Base(http)}/users?$top={top}");
            if (select is not null) next.Append("&$select=").Append(Uri.EscapeDataString(string.Join(',', select)));
            if (filterText.Length > 0) next.Append("&$filter=").Append(Uri.EscapeDataString(filterText));
            next.Append("&$skiptoken=").Append(Token("u", users[^1].Seq));
            body["@odata.nextLink"] = next.ToString();
        }
        body["value"] = users.Select(u => UserJson(u, select)).ToArray();
        return Results.Json(body, Json.Graph);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, EmulatorDb db)
    {
        var (select, selectError) = ParseSelect(http, http.Request.Query["$select"]);
        if (selectError is not null) return selectError;
        if (await TenantDirectory.FindUserAsync(db, http.TokenTenant(), id) is not { } user) return Errors.GraphNotFound(http, id);
        var body = new Dictionary<string, object?> { ["@odata.context"] = $"{Base(http)}/$metadata#users/$entity" };
        foreach (var (k, v) in UserJson(user, select)) body[k] = v;
        return Results.Json(body, Json.Graph);
    }

    private static async Task<(JsonBody? Body, IResult? Error)> ReadAsync(HttpContext http)
    {
        var body = await JsonBody.ReadAsync(http.Request);
        return body is null
            ? (null, Errors.Graph(http, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."))
            : (body, null);
    }

    private static IResult? Invalid(HttpContext http, JsonBody body)
    {
        if (!body.HasErrors) return null;
        var property = body.Errors[0].Split(' ')[0].Split('.')[0];
        return Errors.GraphBadRequest(http, $"Invalid value specified for property '{property}' of resource 'User'.");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EmulatorDb db, EmulatorClock clock)
    {
        var (body, error) = await ReadAsync(http);
        if (error is not null) return error;
        var accountEnabled = body!.Bool("accountEnabled", required: true);
        var displayName = body.String("displayName", required: true);
        var mailNickname = body.String("mailNickname", required: true);
        var upn = body.String("userPrincipalName", required: true)?.Trim();
        var profile = body.Object("passwordProfile", required: true);
        var password = profile?.String("password", required: true);
        var force = profile?.Bool("forceChangePasswordNextSignIn") ?? true;
        body.Absorb(profile, "passwordProfile");
        var givenName = body.String("givenName");
        var surname = body.String("surname");
        var jobTitle = body.String("jobTitle");
        var usageLocation = body.String("usageLocation")?.ToUpperInvariant();
        if (Invalid(http, body) is { } invalid) return invalid;
        if (usageLocation is not null && !TenantDirectory.IsValidUsageLocation(usageLocation)) return Errors.GraphBadRequest(http, "Invalid value specified for property 'usageLocation' of resource 'User'.");
        if (mailNickname!.Any(c => !(char.IsAsciiLetterOrDigit(c) || "'.-_!#^~".Contains(c)))) return Errors.GraphBadRequest(http, "Invalid value specified for property 'mailNickname' of resource 'User'.");
        var tenant = (await db.Tenants.FindAsync(http.TokenTenant()))!;
        var refusal = await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn!, null);
        if (refusal == DirectoryRefusal.None && !PasswordPolicy.IsValid(password)) refusal = DirectoryRefusal.WeakPassword;
        if (refusal != DirectoryRefusal.None) return Refused(http, refusal);
        var user = await TenantDirectory.AddUserAsync(db, tenant, new DirectoryUser
        {
            AccountEnabled = accountEnabled!.Value,
            DisplayName = displayName!,
            MailNickname = mailNickname,
            UserPrincipalName = upn!,
            Password = password!,
            ForceChangePassword = force,
            GivenName = givenName,
            Surname = surname,
            JobTitle = jobTitle,
            UsageLocation = usageLocation,
        }, clock.UtcNow);
        await db.SaveChangesAsync();
        var json = new Dictionary<string, object?> { ["@odata.context"] = $"{Base(http)}/$metadata#users/$entity" };
        foreach (var (k, v) in UserJson(user, null)) json[k] = v;
        return Results.Json(json, Json.Graph, statusCode: 201);
    }

    /// <summary>
    /// A taken user name carries <c>details: [{ target, code: "ObjectConflict" }]</c>, as Graph answered it in
    /// microsoftgraph/microsoft-graph-docs#1508 (a Microsoft engineer's capture); other refusals are plain 400s.
    /// </summary>
    private static IResult Refused(HttpContext http, DirectoryRefusal refusal) => refusal == DirectoryRefusal.DuplicateUserPrincipalName
        ? Errors.Graph(http, 400, "Request_BadRequest", TenantDirectory.Message(refusal), new { target = "userPrincipalName", code = "ObjectConflict" })
        : Errors.GraphBadRequest(http, TenantDirectory.Message(refusal));

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, EmulatorDb db)
    {
        var tenant = (await db.Tenants.FindAsync(http.TokenTenant()))!;
        if (await TenantDirectory.FindUserAsync(db, tenant.Id, id) is not { } user) return Errors.GraphNotFound(http, id);
        var (body, error) = await ReadAsync(http);
        if (error is not null) return error;
        var accountEnabled = body!.Bool("accountEnabled");
        var displayName = body.String("displayName");
        var givenName = body.String("givenName");
        var surname = body.String("surname");
        var jobTitle = body.String("jobTitle");
        var mailNickname = body.String("mailNickname");
        var upn = body.String("userPrincipalName")?.Trim();
        var usageLocation = body.String("usageLocation")?.ToUpperInvariant();
        var profile = body.Object("passwordProfile");
        var password = profile?.String("password", required: true);
        var force = profile?.Bool("forceChangePasswordNextSignIn");
        body.Absorb(profile, "passwordProfile");
        if (Invalid(http, body) is { } invalid) return invalid;
        if (displayName is { Length: 0 }) return Errors.GraphBadRequest(http, "Invalid value specified for property 'displayName' of resource 'User'.");
        if (usageLocation is not null && !TenantDirectory.IsValidUsageLocation(usageLocation)) return Errors.GraphBadRequest(http, "Invalid value specified for property 'usageLocation' of resource 'User'.");
        if (upn is not null && !upn.Equals(user.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
        {
            var refusal = await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn, user.Id);
            if (refusal != DirectoryRefusal.None) return Refused(http, refusal);
        }
        if (profile is not null && !PasswordPolicy.IsValid(password)) return Errors.GraphBadRequest(http, TenantDirectory.Message(DirectoryRefusal.WeakPassword));
        if (accountEnabled is not null) user.AccountEnabled = accountEnabled.Value;
        if (displayName is not null) user.DisplayName = displayName;
        if (givenName is not null) user.GivenName = givenName;
        if (surname is not null) user.Surname = surname;
        if (jobTitle is not null) user.JobTitle = jobTitle;
        if (mailNickname is not null) user.MailNickname = mailNickname;
        if (upn is not null) user.UserPrincipalName = upn;
        if (usageLocation is not null) user.UsageLocation = usageLocation;
        if (profile is not null)
        {
            user.Password = password!;
            user.ForceChangePassword = force ?? true;
        }
        await TenantDirectory.TouchAsync(db, user);
        await db.SaveChangesAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> DeletedUsersAsync(HttpContext http, EmulatorDb db)
    {
        var tenantId = http.TokenTenant();
        var deleted = await db.Users.Where(u => u.TenantId == tenantId && u.State == UserStates.Inactive).OrderBy(u => u.Seq).ToListAsync();
        return Results.Json(new Dictionary<string, object?>
        {
            ["@odata.context"] = $"{Base(http)}/$metadata#directory/deletedItems/microsoft.graph.user",
            ["value"] = deleted.Select(u =>
            {
                var json = UserJson(u, null);
                json["deletedDateTime"] = new DateTimeOffset(u.SoftDeletedAt!.Value, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ");
                return json;
            }).ToArray(),
        }, Json.Graph);
    }

    private static async Task<IResult> RestoreAsync(string id, HttpContext http, EmulatorDb db)
    {
        var tenant = (await db.Tenants.FindAsync(http.TokenTenant()))!;
        if (await TenantDirectory.FindUserAsync(db, tenant.Id, id, includeDeleted: true) is not { State: UserStates.Inactive } user)
        {
            return Errors.GraphNotFound(http, id);
        }
        if (await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, user.UserPrincipalName, user.Id) == DirectoryRefusal.DuplicateUserPrincipalName)
        {
            return Refused(http, DirectoryRefusal.DuplicateUserPrincipalName);
        }
        user.State = UserStates.Active;
        user.SoftDeletedAt = null;
        await TenantDirectory.TouchAsync(db, user);
        await db.SaveChangesAsync();
        var json = new Dictionary<string, object?>
        {
            ["@odata.context"] = $"{Base(http)}/$metadata#directoryObjects/$entity",
            ["@odata.type"] = "#microsoft.graph.user",
        };
        foreach (var (k, v) in UserJson(user, null)) json[k] = v;
        return Results.Json(json, Json.Graph);
    }

    private static async Task<IResult> AssignLicenseAsync(string id, HttpContext http, EmulatorDb db, EmulatorClock clock)
    {
        if (await TenantDirectory.FindUserAsync(db, http.TokenTenant(), id) is not { } user) return Errors.GraphNotFound(http, id);
        var (body, error) = await ReadAsync(http);
        if (error is not null) return error;
        var addItems = body!.Objects("addLicenses", required: true);
        var removeItems = body.Strings("removeLicenses", required: true);
        var add = new List<AssignedLicense>();
        foreach (var item in addItems ?? [])
        {
            var sku = item.String("skuId", required: true);
            var disabled = item.Strings("disabledPlans") ?? [];
            if (item.HasErrors || !Guid.TryParse(sku, out var skuId) || disabled.Any(d => !Guid.TryParse(d, out _)))
            {
                return Errors.GraphBadRequest(http, "Invalid value specified for property 'addLicenses' of resource 'User'.");
            }
            add.Add(new AssignedLicense(skuId, disabled.Select(Guid.Parse).ToList()));
        }
        var remove = new List<Guid>();
        foreach (var text in removeItems ?? [])
        {
            if (!Guid.TryParse(text, out var skuId)) return Errors.GraphBadRequest(http, "Invalid value specified for property 'removeLicenses' of resource 'User'.");
            remove.Add(skuId);
        }
        if (body.HasErrors)
        {
            return Errors.GraphBadRequest(http, $"Invalid value specified for property '{body.Errors[0].Split(' ')[0]}' of resource 'User'.");
        }
        var (refusal, failed) = await TenantDirectory.UpdateLicensesAsync(db, user, add, remove, clock.UtcNow);
        if (refusal != DirectoryRefusal.None) return Errors.GraphBadRequest(http, TenantDirectory.Message(refusal, failed));
        await db.SaveChangesAsync();
        var json = new Dictionary<string, object?> { ["@odata.context"] = $"{Base(http)}/$metadata#users/$entity" };
        foreach (var (k, v) in UserJson(user, null)) json[k] = v;
        json["assignedLicenses"] = UserJson(user, ["assignedLicenses"])["assignedLicenses"];
        return Results.Json(json, Json.Graph);
    }

    private static async Task<IResult> DeltaAsync(HttpContext http, EmulatorDb db, EmulatorClock clock)
    {
        var query = http.Request.Query;
        long since = 0, upto, afterVersion = 0;
        string[]? select;
        var now = clock.UtcNow;
        if (query["$deltatoken"].ToString() is { Length: > 0 } deltaToken)
        {
            if (!TryReadDelta(deltaToken, out var parts) || parts.Length != 3 || !long.TryParse(parts[0], out since) || !TryReadIssued(parts[2], out var issued))
            {
                return Errors.Graph(http, 400, "syncStateNotFound", "The sync state cannot be found or the delta token is invalid.");
            }
            select = parts[1].Length == 0 ? null : parts[1].Split(',');
            if (now - issued > DeltaTokenLifetime) return SyncStateExpired(http, select);
            upto = long.Parse(await db.GetMetaAsync("seq:change") ?? "0");
        }
        else if (query["$skiptoken"].ToString() is { Length: > 0 } skipToken)
        {
            if (!TryReadDelta(skipToken, out var parts) || parts.Length != 5 || !long.TryParse(parts[0], out since)
                || !long.TryParse(parts[1], out upto) || !long.TryParse(parts[2], out afterVersion) || !TryReadIssued(parts[4], out var issued))
            {
                return Errors.Graph(http, 400, "syncStateNotFound", "The sync state cannot be found or the skip token is invalid.");
            }
            select = parts[3].Length == 0 ? null : parts[3].Split(',');
            if (now - issued > DeltaTokenLifetime) return SyncStateExpired(http, select);
        }
        else
        {
            var (parsed, selectError) = ParseSelect(http, query["$select"]);
            if (selectError is not null) return selectError;
            select = parsed;
            upto = long.Parse(await db.GetMetaAsync("seq:change") ?? "0");
        }
        var pageSize = DefaultPageSize;
        var prefer = http.Request.Headers["Prefer"].ToString();
        if (Regex.Match(prefer, @"odata\.maxpagesize\s*=\s*(\d+)") is { Success: true } m) pageSize = Math.Clamp(int.Parse(m.Groups[1].Value), 1, MaxPageSize);

        var tenantId = http.TokenTenant();
        var changes = db.Users.Where(u => u.TenantId == tenantId && u.Version > since && u.Version <= upto && u.Version > afterVersion);
        if (since == 0) changes = changes.Where(u => u.State == UserStates.Active);
        // One user past the page tells whether another page follows; each page reads only its own rows.
        var page = await changes.OrderBy(u => u.Version).Take(pageSize + 1).ToListAsync();
        var more = page.Count > pageSize;
        if (more) page.RemoveAt(pageSize);
        var selectText = select is null ? "" : string.Join(',', select);
        var body = new Dictionary<string, object?> { ["@odata.context"] = $"{Base(http)}/$metadata#users/delta" };
        if (more)
        {
            body["@odata.nextLink"] = $"{Base(http)}/users/delta?$skiptoken={DeltaToken($"{since}|{upto}|{page[^1].Version}|{selectText}|{now.Ticks}")}";
        }
        else
        {
            body["@odata.deltaLink"] = $"{Base(http)}/users/delta?$deltatoken={DeltaToken($"{upto}|{selectText}|{now.Ticks}")}";
        }
        body["value"] = page.Select(u => u.State == UserStates.Active
            ? UserJson(u, select)
            : new Dictionary<string, object?>
            {
                ["id"] = u.Id,
                ["@removed"] = new { reason = u.State == UserStates.Purged ? "deleted" : "changed" },
            }).ToArray();
        return Results.Json(body, Json.Graph);
    }

    /// <summary>
    /// A token older than <see cref="DeltaTokenLifetime"/>: <c>410 Gone</c> with a <c>Location</c> holding the initial
    /// query and an empty <c>$deltatoken</c> ("the application must restart with a full synchronization"), and the
    /// error code <c>syncStateNotFound</c> that graph/errors gives for an expired delta token.
    /// </summary>
    private static IResult SyncStateExpired(HttpContext http, string[]? select)
    {
        var restart = $"{Base(http)}/users/delta?" + (select is null ? "" : $"$select={Uri.EscapeDataString(string.Join(',', select))}&") + "$deltatoken=";
        http.Response.Headers.Location = restart;
        return Errors.Graph(http, 410, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    }

    private static bool TryReadIssued(string text, out DateTime issued)
    {
        issued = default;
        if (!long.TryParse(text, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        issued = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static string Token(string kind, long value) => Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{kind}:{value}")));

    private static bool TryReadToken(string token, string kind, out long value)
    {
        value = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith(kind + ":") && long.TryParse(text[(kind.Length + 1)..], out value);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string DeltaToken(string state) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(state)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadDelta(string token, out string[] parts)
    {
        parts = [];
        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='))).Split('|');
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
