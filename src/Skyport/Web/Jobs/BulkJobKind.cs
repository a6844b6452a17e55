namespace Skyport.Web.Jobs;

/// <summary>The kinds of bulk work, as the API names them.</summary>
public static class BulkJobKind
{
    public const string Subscribe = "subscribe";
    public const string Unsubscribe = "unsubscribe";
    public const string DirectoryImport = "directory-import";
    public const string DirectoryExport = "directory-export";
}
