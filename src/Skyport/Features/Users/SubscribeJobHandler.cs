using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

public sealed class SubscribeJobHandler(AssignLicenses licenses, IConfiguration configuration) : LicenseJobHandler(licenses, configuration, subscribe: true)
{
    public override string Kind => BulkJobKind.Subscribe;
}
