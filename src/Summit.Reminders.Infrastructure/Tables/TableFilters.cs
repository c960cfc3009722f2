using Azure.Data.Tables;

namespace Summit.Reminders.Infrastructure.Tables;

/// <summary>OData filters built from values with <see cref="TableClient.CreateQueryFilter(System.FormattableString)"/>,
/// which quotes and escapes them.</summary>
internal static class TableFilters
{
    /// <summary><c>(P eq 'a' or P eq 'b')</c>; null when <paramref name="values"/> is null (no narrowing). An empty list
    /// matches nothing.</summary>
    public static string? AnyOf(string property, IReadOnlyList<string>? values)
    {
        if (values is null) return null;
        if (values.Count == 0) return TableClient.CreateQueryFilter($"PartitionKey eq {""} and PartitionKey ne {""}");
        return "(" + string.Join(" or ", values.Select(v => $"{property} eq {TableClient.CreateQueryFilter($"{v}")}")) + ")";
    }
}
