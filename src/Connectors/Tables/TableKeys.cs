namespace Cohorts.Connectors.Tables;

/// <summary>OData helpers for table queries.</summary>
public static class TableKeys
{
    /// <summary>An OData string literal (single quotes doubled).</summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
