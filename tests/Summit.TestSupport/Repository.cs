namespace Summit.TestSupport;

/// <summary>The repository checkout the tests run from: the folder holding Summit.Functions.sln.</summary>
public static class Repository
{
    public static readonly string Root = Find(AppContext.BaseDirectory);

    private static string Find(string start)
    {
        var dir = new DirectoryInfo(start);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Summit.Functions.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Summit.Functions.sln not found above " + start);
    }
}
