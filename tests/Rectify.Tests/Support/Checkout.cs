namespace Rectify.Tests.Support;

/// <summary>The repository the tests were built from, for the tests that run its ops/ scripts.</summary>
public static class Checkout
{
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rectify.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Rectify.sln not found above the test folder.");
    }

    /// <summary>Deletes a scratch folder; the private cluster's files belong to the postgres user, and a leftover temp folder is harmless.</summary>
    public static void DeleteScratch(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
