using System.Diagnostics;
using System.Text.RegularExpressions;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>
/// Git tracks no key material and no run-time data: a committed Data Protection key ring would be shared by every
/// installation made from the repository (its cookies and everything it encrypts).
/// </summary>
public sealed partial class TrackedFilesTests
{
    [Fact]
    public void Git_tracks_no_key_material_and_no_run_time_data()
    {
        var forbidden = TrackedFiles().Where(IsKeyMaterialOrRunTimeData).ToList();
        Assert.True(forbidden.Count == 0,
            "Key material or run-time data is tracked by git (git rm it; .gitignore keeps data folders out): " + string.Join(", ", forbidden));
    }

    [Theory]
    [InlineData("src/Skyport/data/keys/key-11185dd3-5838-424f-a748-1d0577f9e6e0.xml", true)]
    [InlineData("data/skyport.db", true)]
    [InlineData("src/Skyport.PartnerCenterEmulator/data/anything.txt", true)]
    [InlineData("tests/certificates/partner-center.pfx", true)]
    [InlineData("deploy/tls.pem", true)]
    [InlineData("bench/results/run.db", true)]
    [InlineData("src/Skyport/Data/DatabaseSetup.cs", false)]
    [InlineData("src/Skyport/Data/Migrations/Sqlite/20261125154121_Initial.cs", false)]
    [InlineData("docs/keys-and-secrets.md", false)]
    [InlineData("src/Skyport/Features/Accounts/ApiKey.cs", false)]
    public void The_check_knows_key_material_and_data_folders(string path, bool forbidden) =>
        Assert.Equal(forbidden, IsKeyMaterialOrRunTimeData(path));

    private static bool IsKeyMaterialOrRunTimeData(string path) =>
        path.Split('/')[..^1].Contains("data", StringComparer.Ordinal) || ForbiddenName().IsMatch(Path.GetFileName(path));

    [GeneratedRegex(@"^key-.*\.xml$|\.(pfx|p12|pem|key|db|db-wal|db-shm|db-journal|sqlite)$", RegexOptions.IgnoreCase)]
    private static partial Regex ForbiddenName();

    private static List<string> TrackedFiles()
    {
        var root = Repository.Root;
        using var git = Process.Start(new ProcessStartInfo("git", ["ls-files", "-z"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git ls-files failed in {root}: {error}");
        var files = output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Contains("src/Skyport/Program.cs", files); // the listing is really this repository's
        return files;
    }
}
