using BenchmarkDotNet.Running;
using Skyport.Benchmarks;
using Skyport.Features.Billing.Rating;

if (args is ["--describe"])
{
    // Shows that the workload is what the benchmark claims: every event accepted, lines produced.
    var rated = Enumerable.Range(0, RatingThroughputBenchmarks.Customers)
        .Select(c => RatingEngine.Rate(RatingThroughputBenchmarks.Customer(c)))
        .ToList();
    Console.WriteLine($"events: {RatingThroughputBenchmarks.TotalEvents:N0}");
    Console.WriteLine($"rejected: {rated.Sum(r => r.Rejected.Count):N0}");
    Console.WriteLine($"reports: {rated.Sum(r => r.Reports.Count):N0}");
    Console.WriteLine($"lines: {rated.Sum(r => r.Reports.Sum(report => report.Subscriptions.Sum(s => s.Lines.Count))):N0}");
    return 0;
}

if (args is ["users-sync", var skyport, var emulator, var apiKey, ..])
{
    var users = args.Length > 4 ? int.Parse(args[4]) : 10_000;
    var changes = args.Length > 5 ? int.Parse(args[5]) : 200;
    return await UserSyncLoad.RunAsync(skyport, emulator, apiKey, users, changes);
}

if (args is ["licenses-assign", var portal, var emulatorUrl, var key, ..])
{
    return await LicenseAssignLoad.RunAsync(portal, emulatorUrl, key, args.Length > 4 ? int.Parse(args[4]) : 1_000);
}

if (args is ["billing-reports", var server, ..])
{
    return await ResellerReportLoad.RunAsync(server, args.Length > 2 ? int.Parse(args[2]) : RatingThroughputBenchmarks.Customers);
}

BenchmarkSwitcher.FromAssembly(typeof(RatingThroughputBenchmarks).Assembly).Run(args);
return 0;
