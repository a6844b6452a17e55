using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

public sealed class UnsubscribeJobHandler(AssignLicenses licenses, IConfiguration configuration) : LicenseJobHandler(licenses, configuration, subscribe: false)
{
    public override string Kind => BulkJobKind.Unsubscribe;
}
