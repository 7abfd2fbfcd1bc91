using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Many small documents kept in one row, as a JSON array: what an append-only table (the audit log, the event outbox)
/// does with the hundred entries or events a workflow records at once, so that they cost the store a few rows instead
/// of two each. A bundle's id is derived from its items' ids, so a retried writer, which records the same items in the
/// same order, meets the bundle it wrote before. A bundle row holds its JSON array gzip-compressed (<see cref="Column"/>,
/// a binary property): a hundred joiners' events are near repeats of one another, and were 33 KB a row for the store to
/// parse, keep and hand back; compressed they are a few.
/// </summary>
internal static class TableBundles
{
    /// <summary>
    /// The most characters of a bundle's JSON (ASCII: the serializer escapes the rest), so that its compressed column
    /// stays under a binary property's 64 KiB even when it does not compress.
    /// </summary>
    public const int MaxChars = 30_000;

    /// <summary>
    /// The items in groups kept together, in their order: consecutive items whose JSON fits <see cref="MaxChars"/> in
    /// all, each group with its JSON array.
    /// </summary>
    public static List<Bundle<T>> Pack<T>(IReadOnlyList<T> items, Func<T, string> idOf)
    {
        var bundles = new List<Bundle<T>>();
        var members = new List<T>();
        var json = new StringBuilder("[");
        foreach (T item in items)
        {
            string doc = JsonSerializer.Serialize(item, CohortsJson.Options);
            if (members.Count > 0 && json.Length + doc.Length + 2 > MaxChars)
            {
                bundles.Add(Close(members, json, idOf));
                members = [];
                json.Clear().Append('[');
            }

            json.Append(members.Count > 0 ? "," : string.Empty).Append(doc);
            members.Add(item);
        }

        if (members.Count > 0)
        {
            bundles.Add(Close(members, json, idOf));
        }

        return bundles;
    }

    /// <summary>The column of a bundle row that holds its items (gzip-compressed JSON).</summary>
    public const string Column = "Docz";

    /// <summary>Whether the row holds a bundle.</summary>
    public static bool Holds(TableEntity row) => row.ContainsKey(Column);

    /// <summary>Puts <paramref name="items"/> (or their JSON array, <paramref name="json"/>) into the row's bundle column.</summary>
    public static void Put<T>(TableEntity row, IReadOnlyList<T> items, string? json = null)
    {
        using var packed = new MemoryStream();
        using (var zip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(Encoding.UTF8.GetBytes(json ?? JsonSerializer.Serialize(items, CohortsJson.Options)));
        }

        row[Column] = packed.ToArray();
    }

    /// <summary>The items of the row's bundle.</summary>
    public static List<T> Read<T>(TableEntity row)
    {
        using var zip = new GZipStream(new MemoryStream(row.GetBinary(Column)), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<T>>(zip, CohortsJson.Options) ?? throw new JsonException($"Bundle row {row.RowKey} holds null.");
    }

    private static Bundle<T> Close<T>(List<T> members, StringBuilder json, Func<T, string> idOf)
    {
        string ids = string.Join('\n', members.Select(idOf));
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ids)), 0, 16);
        return new Bundle<T>(id, members, json.Append(']').ToString());
    }
}

/// <summary>Items kept in one row: the bundle's id (from its items' ids), the items and their JSON array.</summary>
internal sealed record Bundle<T>(string Id, IReadOnlyList<T> Items, string Json);
