namespace Skyport.ResilienceTests.Harness;

/// <summary>Where the build put Skyport and the emulator: the solution's own output, in this test assembly's configuration.</summary>
public static class BuiltApps
{
    public static string Skyport => Dll("Skyport", "Skyport");

    public static string Emulator => Dll("Skyport.PartnerCenterEmulator", "Skyport.PartnerCenterEmulator");

    /// <summary>The folder holding Skyport.slnx, found upwards from this test assembly.</summary>
    public static string SolutionRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Skyport.slnx")))
                {
                    return folder.FullName;
                }
            }
            throw new InvalidOperationException($"Skyport.slnx was not found above {AppContext.BaseDirectory}.");
        }
    }

    private static string Dll(string project, string assembly)
    {
        // This assembly sits in tests/<project>/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var path = Path.Combine(SolutionRoot, "src", project, "bin", configuration, framework.Name, assembly + ".dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: build the solution first (dotnet build Skyport.slnx -c {configuration}).");
    }
}
