using System.Globalization;
using System.Text;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Csv;

/// <summary>How to read an HR export. Everything but the file may be left to detection.</summary>
public sealed record HrImportOptions
{
    /// <summary>generic, workday, successfactors or bamboohr; null or "auto": detected from the header.</summary>
    public string? Profile { get; init; }

    /// <summary>An explicit column map: which header holds which column. Wins over the profile.</summary>
    public IReadOnlyDictionary<HrColumn, string> Columns { get; init; } = new Dictionary<HrColumn, string>();

    /// <summary>The CSV encoding and delimiter, when not detected.</summary>
    public CsvReadOptions Csv { get; init; } = new();

    /// <summary>The most data rows accepted.</summary>
    public int MaxRows { get; init; } = 2_000_000;

    /// <summary>
    /// The day the export is read as of, for termination dates in the future (notice given, still employed). No default:
    /// an import reads as of the day it was made, so that a re-run of the read decides the same way.
    /// </summary>
    public required DateOnly Today { get; init; }

    /// <summary>Parses <c>employeeId:EmpID,jobTitle:Position</c> into a column map, or says which part is wrong.</summary>
    public static IReadOnlyDictionary<HrColumn, string> ParseColumns(string? text)
    {
        var map = new Dictionary<HrColumn, string>();
        foreach (string pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == pair.Length - 1 || !Enum.TryParse(pair[..colon].Trim(), ignoreCase: true, out HrColumn column) || !Enum.IsDefined(column))
            {
                throw new HrSourceException("columns", $"'{pair}' is not column:header; columns are {string.Join(", ", Enum.GetNames<HrColumn>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
            }

            map[column] = pair[(colon + 1)..].Trim();
        }

        return map;
    }
}

/// <summary>
/// Reads an HR export into <see cref="HrRow"/>s, streaming: each row is a record or a rejection naming its row,
/// field and reason. Values are trimmed and inner runs of white space collapsed ("Production       " is
/// "Production"). Rows marked terminated or inactive (a status, a flag, a termination date that has passed) are
/// records with <see cref="HrRecord.Terminated"/> set: leavers, never joiners.
/// </summary>
public static class HrCsvReader
{
    private static readonly string[] TerminatedStatuses = ["terminated", "inactive", "leaver", "left", "former", "deleted", "withdrawn", "separated", "resigned", "retired", "deceased", "dismissed"];
    private static readonly string[] Yes = ["1", "y", "yes", "true", "t"];
    private static readonly string[] No = ["0", "n", "no", "false", "f"];
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "M/d/yyyy", "M/d/yy", "d.M.yyyy", "yyyyMMdd"];

    /// <summary>Reads every data row of <paramref name="stream"/>.</summary>
    /// <exception cref="HrSourceException">The file has no header, no employee id column, or too many rows.</exception>
    public static IAsyncEnumerable<HrRow> ReadAsync(Stream stream, HrImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return new Rows(_ => Task.FromResult(stream), ownsStream: false, options, cancellationToken);
    }

    /// <summary>Reads every data row of the stream <paramref name="open"/> opens when the first row is asked for, and disposes of it after the last.</summary>
    /// <exception cref="HrSourceException">The file has no header, no employee id column, or too many rows.</exception>
    public static IAsyncEnumerable<HrRow> ReadAsync(Func<CancellationToken, Task<Stream>> open, HrImportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(options);
        return new Rows(open, ownsStream: true, options, cancellationToken);
    }

    // reads the record's fields where they lie and makes strings only of the values the record keeps
    private static HrRow Map(CsvRecordReader fields, Layout layout, HrImportOptions options)
    {
        int row = fields.Row;
        HrRow Reject(string field, string reason) => new(row, null, new RejectedRow(row, field, reason));

        if (fields.Problem is not null)
        {
            return Reject("row", fields.Problem);
        }

        for (int i = layout.HeaderCount; i < fields.FieldCount; i++)
        {
            if (!fields.Field(i).IsWhiteSpace())
            {
                return Reject("row", $"the row has {fields.FieldCount} fields but the header has {layout.HeaderCount}: its values may be shifted");
            }
        }

        ReadOnlySpan<char> raw = layout.Raw(fields, HrColumn.EmployeeId);
        if (HoldsControlCharacters(raw))
        {
            return Reject(Layout.Name(HrColumn.EmployeeId), $"column '{layout.Header(HrColumn.EmployeeId)}': the employee id holds control characters");
        }

        string? employeeId = Clean(raw);
        string? idProblem = HrRecordLimits.IdProblem(employeeId);
        if (idProblem is not null || employeeId is null)
        {
            return Reject(Layout.Name(HrColumn.EmployeeId), $"column '{layout.Header(HrColumn.EmployeeId)}': {idProblem ?? "the employee id is empty"}");
        }

        string? email = layout.Value(fields, HrColumn.Email);
        if (email is not null && !EmailAddresses.IsPlain(email))
        {
            return Reject(Layout.Name(HrColumn.Email), $"column '{layout.Header(HrColumn.Email)}': '{email}' is not an email address");
        }

        (bool terminated, string? problemField, string? problem) = Terminated(fields, layout, options.Today);
        if (problem is not null)
        {
            return Reject(problemField!, problem);
        }

        DateOnly? hired = null;
        if (layout.Value(fields, HrColumn.HireDate) is { } hireText)
        {
            if (ParseDate(hireText) is not { } hireDate)
            {
                return Reject(Layout.Name(HrColumn.HireDate), $"column '{layout.Header(HrColumn.HireDate)}': '{hireText}' is not a date (use yyyy-MM-dd)");
            }

            hired = hireDate;
        }

        var record = new HrRecord(
            employeeId,
            email,
            layout.Value(fields, HrColumn.Upn),
            layout.Value(fields, HrColumn.DisplayName) ?? FullName(layout.Raw(fields, HrColumn.FirstName), layout.Raw(fields, HrColumn.LastName)),
            layout.Value(fields, HrColumn.ManagerId),
            layout.Value(fields, HrColumn.JobTitle),
            layout.Value(fields, HrColumn.Department),
            layout.Value(fields, HrColumn.JobFamily),
            layout.Value(fields, HrColumn.JobLevel),
            layout.Value(fields, HrColumn.Track),
            terminated,
            hired,
            layout.Value(fields, HrColumn.OccupationCode));
        return new HrRow(row, record, null);
    }

    /// <summary>"First Last", either alone when the other is empty, or null; one string when both are clean already.</summary>
    private static string? FullName(ReadOnlySpan<char> first, ReadOnlySpan<char> last) =>
        first.Length > 0 && last.Length > 0 && IsClean(first) && IsClean(last)
            ? string.Concat(first, " ", last)
            : (Clean(first), Clean(last)) switch
            {
                ({ } both, { } lastName) => string.Concat(both, " ", lastName),
                (var firstName, var lastName) => firstName ?? lastName,
            };

    private static (bool Terminated, string? Field, string? Problem) Terminated(CsvRecordReader fields, Layout layout, DateOnly today)
    {
        if (layout.IsTerminatedStatus(layout.Raw(fields, HrColumn.Status)))
        {
            return (true, null, null);
        }

        if (layout.Value(fields, HrColumn.TerminatedFlag) is { } flag)
        {
            if (IsOneOf(flag, Yes))
            {
                return (true, null, null);
            }

            if (!IsOneOf(flag, No))
            {
                return (false, Layout.Name(HrColumn.TerminatedFlag), $"'{flag}' is not yes/no");
            }
        }

        if (layout.Value(fields, HrColumn.ActiveFlag) is { } active)
        {
            if (IsOneOf(active, No))
            {
                return (true, null, null);
            }

            if (!IsOneOf(active, Yes))
            {
                return (false, Layout.Name(HrColumn.ActiveFlag), $"'{active}' is not yes/no");
            }
        }

        if (layout.Value(fields, HrColumn.TerminationDate) is { } date)
        {
            return ParseDate(date) is { } when
                ? (when <= today, null, null)
                : (false, Layout.Name(HrColumn.TerminationDate), $"'{date}' is not a date (use yyyy-MM-dd)");
        }

        return (false, null, null);
    }

    /// <summary>A date as exports write it (ISO first, then the formats <see cref="DateFormats"/> lists), time of day ignored.</summary>
    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal) is >= 0 and var space ? space : text.Length), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date)
        || DateOnly.TryParse(text, CultureInfo.InvariantCulture, out date)
            ? date
            : null;

    /// <summary>Trims, collapses inner white space, drops control characters; empty is null.</summary>
    private static string? Clean(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (IsClean(value))
        {
            return new string(value); // most values: one copy, straight from the file's text
        }

        var text = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (char.IsControl(c))
            {
                continue;
            }

            if (space && text.Length > 0)
            {
                text.Append(' ');
            }

            space = false;
            text.Append(c);
        }

        return text.Length == 0 ? null : text.ToString();
    }

    // a loop, not a lambda: a closure over the status would be made on every call, found in the cache or not
    private static bool HoldsAny(string value, string[] words)
    {
        foreach (string word in words)
        {
            if (value.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOneOf(string value, string[] words)
    {
        foreach (string word in words)
        {
            if (string.Equals(value, word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HoldsControlCharacters(ReadOnlySpan<char> value)
    {
        if (!value.ContainsAnyExceptInRange(' ', '~'))
        {
            return false; // printable ASCII, as nearly every id is
        }

        foreach (char c in value)
        {
            if (char.IsControl(c) && !char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    // a non-empty value that Clean would return as it is
    private static bool IsClean(ReadOnlySpan<char> value)
    {
        ReadOnlySpan<char> text = value;
        if (!text.ContainsAnyExceptInRange(' ', '~'))
        {
            // printable ASCII, as most values are: clean unless a space starts, ends or doubles (two vectorized scans
            // instead of classifying every character: 40% less time over an export's typical values)
            // most values hold no space at all: one single-character search, and the two-character one only after a space
            int space = text.IndexOf(' ');
            return space < 0 || (space > 0 && text[^1] != ' ' && !text[space..].Contains("  ", StringComparison.Ordinal));
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsControl(c) || (char.IsWhiteSpace(c) && (c != ' ' || value[i + 1] == ' ')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The rows of one read. Written out rather than as an async iterator: a row whose record is already in the block
    /// read is handed out without an await or a state machine's step (an iterator's step per row was a tenth of the read).
    /// </summary>
    private sealed class Rows(Func<CancellationToken, Task<Stream>> open, bool ownsStream, HrImportOptions options, CancellationToken cancellationToken)
        : IAsyncEnumerable<HrRow>, IAsyncEnumerator<HrRow>
    {
        private CancellationToken cancellation = cancellationToken;
        private CancellationTokenSource? linked;
        private Stream? stream;
        private CsvRecordReader? records;
        private Layout? layout;
        private int dataRows;
        private bool started;

        public HrRow Current { get; private set; } = null!;

        public IAsyncEnumerator<HrRow> GetAsyncEnumerator(CancellationToken token = default)
        {
            // one read of the stream: enumerated once, as the import does
            if (started)
            {
                throw new InvalidOperationException("The rows of an HR export are read once.");
            }

            started = true;

            // a token given here (WithCancellation) counts as well as the one given to ReadAsync
            if (token.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, token);
                cancellation = linked.Token;
            }

            return this;
        }

        public ValueTask<bool> MoveNextAsync()
        {
            if (records is null || layout is null)
            {
                return StartAsync();
            }

            ValueTask<bool> next = records.ReadAsync(cancellation);
            return next.IsCompletedSuccessfully ? ValueTask.FromResult(Take(next.Result)) : WaitAsync(next);
        }

        public async ValueTask DisposeAsync()
        {
            records?.Dispose();
            linked?.Dispose();
            if (ownsStream && stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        private async ValueTask<bool> StartAsync()
        {
            stream ??= await open(cancellation);
            records ??= await CsvRecordReader.OpenAsync(stream, options.Csv, cancellation);
            if (!await records.ReadAsync(cancellation))
            {
                throw new HrSourceException("file", "the file is empty: there is no header row");
            }

            layout = Layout.From(records.Fields(), options);
            return Take(await records.ReadAsync(cancellation));
        }

        private async ValueTask<bool> WaitAsync(ValueTask<bool> next) => Take(await next);

        private bool Take(bool read)
        {
            if (!read)
            {
                return false;
            }

            if (++dataRows > options.MaxRows)
            {
                throw new HrSourceException("rows", $"the file has more than {options.MaxRows} rows; split it");
            }

            Current = Map(records!, layout!, options);
            return true;
        }
    }

    /// <summary>Which field index holds which column, and the header's own name for it.</summary>
    private sealed class Layout
    {
        // by column: the field index (-1 when the file has no such column) and the header's own name; arrays, not a
        // dictionary, because every row reads a dozen of them
        private static readonly int Columns = Enum.GetValues<HrColumn>().Max(c => (int)c) + 1;
        private readonly int[] indexes = Enumerable.Repeat(-1, Columns).ToArray();
        private readonly string?[] headers = new string?[Columns];

        // exports repeat a handful of statuses ("Active" row after row): the last one's answer is kept
        private string lastStatus = string.Empty;
        private bool lastStatusTerminated;

        public int HeaderCount { get; private init; }

        /// <summary>Whether the status field <paramref name="status"/> holds one of the words that mean a person has left.</summary>
        public bool IsTerminatedStatus(ReadOnlySpan<char> status)
        {
            if (!status.SequenceEqual(lastStatus))
            {
                lastStatusTerminated = Clean(status) is { } cleaned && HoldsAny(cleaned, TerminatedStatuses);
                lastStatus = new string(status);
            }

            return lastStatusTerminated;
        }

        public static Layout From(string[] header, HrImportOptions options)
        {
            HrColumnProfile profile = options.Profile is null or "" or "auto"
                ? HrColumnProfiles.Detect(header)
                : HrColumnProfiles.ByName.TryGetValue(options.Profile, out HrColumnProfile? named)
                    ? named
                    : throw new HrSourceException("profile", $"unknown profile '{options.Profile}'; use auto, {string.Join(", ", HrColumnProfiles.ByName.Keys)}");
            string[] normalized = header.Select(HrColumnProfiles.Normalize).ToArray();
            var layout = new Layout { HeaderCount = header.Length };
            foreach (HrColumn column in Enum.GetValues<HrColumn>())
            {
                IEnumerable<string> candidates = options.Columns.TryGetValue(column, out string? explicitHeader)
                    ? [HrColumnProfiles.Normalize(explicitHeader)]
                    : (profile.Headers.GetValueOrDefault(column) ?? []).Concat(HrColumnProfiles.Generic.Headers[column]);
                int index = candidates.Select(c => Array.IndexOf(normalized, c)).FirstOrDefault(i => i >= 0, -1);
                if (index < 0 && explicitHeader is not null)
                {
                    throw new HrSourceException("columns", $"the header has no column '{explicitHeader}' (for {column}); it has: {string.Join(", ", header.Select(h => h.Trim()))}");
                }

                if (index >= 0)
                {
                    layout.indexes[(int)column] = index;
                    layout.headers[(int)column] = header[index].Trim();
                }
            }

            if (layout.indexes[(int)HrColumn.EmployeeId] < 0)
            {
                throw new HrSourceException(
                    "employeeId",
                    $"no employee id column: the header ({string.Join(", ", header.Select(h => h.Trim()).Take(20))}) has none of the names the {profile.Name} profile knows; name it with columns=employeeId:<header>");
            }

            return layout;
        }

        /// <summary>The API's name for the column (employeeId), as rejections report it.</summary>
        public static string Name(HrColumn column) => char.ToLowerInvariant(column.ToString()[0]) + column.ToString()[1..];

        /// <summary>The file's own header for the column, for reasons.</summary>
        public string Header(HrColumn column) => headers[(int)column] ?? Name(column);

        /// <summary>The column's field as the file has it; empty when the file or the row has no such field.</summary>
        public ReadOnlySpan<char> Raw(CsvRecordReader fields, HrColumn column)
        {
            int index = indexes[(int)column];
            return index >= 0 && index < fields.FieldCount ? fields.Field(index) : default;
        }

        public string? Value(CsvRecordReader fields, HrColumn column) => Clean(Raw(fields, column));
    }
}
