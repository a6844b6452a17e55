namespace Skyport.Tests.Infrastructure;

/// <summary>The git checkout the tests run from (tests/Skyport.Tests/bin/...): CI and developers work in a clone or a worktree.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            // In a worktree .git is a file.
            if (Directory.Exists(Path.Combine(folder.FullName, ".git")) || File.Exists(Path.Combine(folder.FullName, ".git")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No git checkout above {AppContext.BaseDirectory}: these tests run in a clone of the repository.");
    }
}
