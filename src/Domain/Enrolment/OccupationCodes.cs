namespace Cohorts.Domain.Enrolment;

/// <summary>A group of an occupation classification and the track its people take, with why.</summary>
/// <param name="Scheme">ISCO-08 or SOC 2018.</param>
/// <param name="Prefix">The group's code (a unit group, a minor or a sub-major group): a longer code within it matches.</param>
/// <param name="Track">The track, or null when people of the group have no part in an AI use case (triage).</param>
/// <param name="Reason">The group's name in the classification and why it maps so.</param>
public sealed record OccupationGroup(string Scheme, string Prefix, Track? Track, string Reason);

/// <summary>
/// Occupation codes an export may carry beside the title (a column such as <c>ISCO</c>, <c>ISCO-08</c>, <c>SOC</c>,
/// <c>SOC 2018</c>, <c>O*NET-SOC</c>), mapped to tracks by group: the longest group that holds the code decides. A
/// code outranks the title's words; an explicit track column outranks the code. Sources: ILO, International Standard
/// Classification of Occupations ISCO-08, Volume I: structure, group definitions and correspondence tables (2012);
/// U.S. Bureau of Labor Statistics, 2018 Standard Occupational Classification System (O*NET-SOC codes add a
/// two-digit suffix to a SOC code, <c>15-2051.00</c>).
/// </summary>
public static class OccupationCodes
{
    /// <summary>The ISCO-08 scheme name.</summary>
    public const string Isco = "ISCO-08";

    /// <summary>The SOC 2018 scheme name.</summary>
    public const string Soc = "SOC 2018";

    /// <summary>How the rule id of a placement by code begins: <c>occupation-code:ISCO-08:2512</c>.</summary>
    public const string RulePrefix = "occupation-code:";

    /// <summary>The groups, ISCO-08 then SOC 2018.</summary>
    public static IReadOnlyList<OccupationGroup> Groups { get; } =
    [
        // ISCO-08: four-digit unit groups, three-digit minor groups, two-digit sub-major groups, one-digit major groups
        new(Isco, "11", Track.Leaders, "ISCO-08 11 Chief executives, senior officials and legislators"),
        new(Isco, "12", Track.Leaders, "ISCO-08 12 Administrative and commercial managers"),
        new(Isco, "13", Track.Leaders, "ISCO-08 13 Production and specialised services managers"),
        new(Isco, "1330", Track.Translators, "ISCO-08 1330 Information and communications technology service managers: frame technology use cases"),
        new(Isco, "14", Track.Consumers, "ISCO-08 14 Hospitality, retail and other services managers: run operations that use AI outputs"),
        new(Isco, "2120", Track.Builders, "ISCO-08 2120 Mathematicians, actuaries and statisticians: build quantitative models"),
        new(Isco, "2411", Track.Consumers, "ISCO-08 2411 Accountants: work with a model's outputs in finance operations"),
        new(Isco, "2412", Track.Consumers, "ISCO-08 2412 Financial and investment advisers"),
        new(Isco, "2413", Track.Translators, "ISCO-08 2413 Financial analysts: interpret outputs for the business"),
        new(Isco, "2421", Track.Translators, "ISCO-08 2421 Management and organization analysts"),
        new(Isco, "2511", Track.Translators, "ISCO-08 2511 Systems analysts: frame requirements"),
        new(Isco, "2512", Track.Builders, "ISCO-08 2512 Software developers"),
        new(Isco, "2513", Track.Builders, "ISCO-08 2513 Web and multimedia developers"),
        new(Isco, "2514", Track.Builders, "ISCO-08 2514 Applications programmers"),
        new(Isco, "2519", Track.Builders, "ISCO-08 2519 Software and applications developers and analysts not elsewhere classified"),
        new(Isco, "2521", Track.Builders, "ISCO-08 2521 Database designers and administrators"),
        new(Isco, "2529", Track.Builders, "ISCO-08 2529 Database and network professionals not elsewhere classified (data scientists are coded here)"),
        new(Isco, "2611", Track.Governors, "ISCO-08 2611 Lawyers"),
        new(Isco, "2619", Track.Governors, "ISCO-08 2619 Legal professionals not elsewhere classified (compliance and legal advisers)"),
        new(Isco, "2221", Track.Consumers, "ISCO-08 2221 Nursing professionals"),
        new(Isco, "3221", Track.Consumers, "ISCO-08 3221 Nursing associate professionals"),
        new(Isco, "3312", Track.Consumers, "ISCO-08 3312 Credit and loans officers"),
        new(Isco, "3315", Track.Consumers, "ISCO-08 3315 Valuers and loss assessors (claims adjusters)"),
        new(Isco, "3321", Track.Consumers, "ISCO-08 3321 Insurance representatives (underwriting and claims staff)"),
        new(Isco, "3322", Track.Consumers, "ISCO-08 3322 Commercial sales representatives"),
        new(Isco, "4", Track.Consumers, "ISCO-08 4 Clerical support workers: operational roles that use AI tools and outputs"),
        new(Isco, "5", Track.Consumers, "ISCO-08 5 Service and sales workers"),
        new(Isco, "512", null, "ISCO-08 512 Cooks: no part in an AI use case"),
        new(Isco, "513", null, "ISCO-08 513 Waiters and bartenders: no part in an AI use case"),
        new(Isco, "515", null, "ISCO-08 515 Building and housekeeping supervisors: no part in an AI use case"),
        new(Isco, "541", null, "ISCO-08 541 Protective services workers (security guards): no part in an AI use case"),
        new(Isco, "83", null, "ISCO-08 83 Drivers and mobile plant operators: no part in an AI use case"),
        new(Isco, "91", null, "ISCO-08 91 Cleaners and helpers: no part in an AI use case"),
        new(Isco, "93", null, "ISCO-08 93 Labourers in mining, construction, manufacturing and transport: no part in an AI use case"),
        new(Isco, "94", null, "ISCO-08 94 Food preparation assistants: no part in an AI use case"),

        // SOC 2018: XX-0000 major groups, XX-XXX0 minor groups, XX-XXXX detailed occupations
        new(Soc, "11-1011", Track.Leaders, "SOC 2018 11-1011 Chief Executives"),
        new(Soc, "11-1021", Track.Leaders, "SOC 2018 11-1021 General and Operations Managers"),
        new(Soc, "11-3021", Track.Translators, "SOC 2018 11-3021 Computer and Information Systems Managers: frame technology use cases"),
        new(Soc, "13-1031", Track.Consumers, "SOC 2018 13-1031 Claims Adjusters, Examiners, and Investigators"),
        new(Soc, "13-1041", Track.Governors, "SOC 2018 13-1041 Compliance Officers"),
        new(Soc, "13-1111", Track.Translators, "SOC 2018 13-1111 Management Analysts"),
        new(Soc, "13-2011", Track.Consumers, "SOC 2018 13-2011 Accountants and Auditors"),
        new(Soc, "13-2051", Track.Translators, "SOC 2018 13-2051 Financial and Investment Analysts"),
        new(Soc, "13-2053", Track.Consumers, "SOC 2018 13-2053 Insurance Underwriters"),
        new(Soc, "13-2072", Track.Consumers, "SOC 2018 13-2072 Loan Officers"),
        new(Soc, "15-1211", Track.Translators, "SOC 2018 15-1211 Computer Systems Analysts"),
        new(Soc, "15-1221", Track.Specialists, "SOC 2018 15-1221 Computer and Information Research Scientists (AI research)"),
        new(Soc, "15-1242", Track.Builders, "SOC 2018 15-1242 Database Administrators"),
        new(Soc, "15-1243", Track.Builders, "SOC 2018 15-1243 Database Architects"),
        new(Soc, "15-1251", Track.Builders, "SOC 2018 15-1251 Computer Programmers"),
        new(Soc, "15-1252", Track.Builders, "SOC 2018 15-1252 Software Developers"),
        new(Soc, "15-1253", Track.Builders, "SOC 2018 15-1253 Software Quality Assurance Analysts and Testers"),
        new(Soc, "15-2011", Track.Builders, "SOC 2018 15-2011 Actuaries"),
        new(Soc, "15-2031", Track.Builders, "SOC 2018 15-2031 Operations Research Analysts"),
        new(Soc, "15-2041", Track.Builders, "SOC 2018 15-2041 Statisticians"),
        new(Soc, "15-2051", Track.Builders, "SOC 2018 15-2051 Data Scientists"),
        new(Soc, "23-1", Track.Governors, "SOC 2018 23-1000 Lawyers, Judges, and Related Workers"),
        new(Soc, "23-2", Track.Governors, "SOC 2018 23-2000 Legal Support Workers"),
        new(Soc, "29-1141", Track.Consumers, "SOC 2018 29-1141 Registered Nurses"),
        new(Soc, "33-9032", null, "SOC 2018 33-9032 Security Guards: no part in an AI use case"),
        new(Soc, "35-", null, "SOC 2018 35-0000 Food Preparation and Serving Related Occupations: no part in an AI use case"),
        new(Soc, "37-", null, "SOC 2018 37-0000 Building and Grounds Cleaning and Maintenance Occupations: no part in an AI use case"),
        new(Soc, "41-", Track.Consumers, "SOC 2018 41-0000 Sales and Related Occupations"),
        new(Soc, "43-", Track.Consumers, "SOC 2018 43-0000 Office and Administrative Support Occupations"),
        new(Soc, "53-3", null, "SOC 2018 53-3000 Motor Vehicle Operators: no part in an AI use case"),
        new(Soc, "53-7", null, "SOC 2018 53-7000 Material Moving Workers: no part in an AI use case"),
    ];

    /// <summary>
    /// The group of <paramref name="code"/> (ISCO-08 digits, or SOC / O*NET-SOC <c>NN-NNNN[.NN]</c>), the longest that
    /// holds it; null when the code is of neither form or no group of the table holds it.
    /// </summary>
    public static OccupationGroup? Find(string? code)
    {
        string text = (code ?? string.Empty).Trim();
        if (text.Length == 6 && text.All(char.IsAsciiDigit))
        {
            text = $"{text[..2]}-{text[2..]}"; // a SOC code written without its hyphen
        }

        string? scheme = text.Length >= 2 && text.All(char.IsAsciiDigit) && text.Length <= 4 ? Isco
            : text.Length >= 7 && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && text[2] == '-' && text[3..7].All(char.IsAsciiDigit) ? Soc
            : null;
        if (scheme is null)
        {
            return null;
        }

        string key = scheme == Soc ? text[..7] : text;
        return Groups.Where(g => g.Scheme == scheme && key.StartsWith(g.Prefix, StringComparison.Ordinal)).MaxBy(g => g.Prefix.Length);
    }
}
