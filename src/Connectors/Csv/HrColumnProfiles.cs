using System.Text;

namespace Cohorts.Connectors.Csv;

/// <summary>The HR columns an import reads. Only <see cref="EmployeeId"/> is required.</summary>
public enum HrColumn
{
    /// <summary>The stable HR key.</summary>
    EmployeeId,

    /// <summary>Work email.</summary>
    Email,

    /// <summary>User principal name / login.</summary>
    Upn,

    /// <summary>Display name, or the whole name.</summary>
    DisplayName,

    /// <summary>Given name (joined with <see cref="LastName"/> when there is no display name).</summary>
    FirstName,

    /// <summary>Family name.</summary>
    LastName,

    /// <summary>The manager's employee id.</summary>
    ManagerId,

    /// <summary>Job title or position.</summary>
    JobTitle,

    /// <summary>Department.</summary>
    Department,

    /// <summary>Job family.</summary>
    JobFamily,

    /// <summary>Job level or grade.</summary>
    JobLevel,

    /// <summary>An explicit track.</summary>
    Track,

    /// <summary>Employment status text (Active, Terminated, Inactive…).</summary>
    Status,

    /// <summary>A yes/true/1 flag that the person has left (Terminated, Termd, Attrition).</summary>
    TerminatedFlag,

    /// <summary>A yes/true/1 flag that the person is active (Workday's Active).</summary>
    ActiveFlag,

    /// <summary>A termination date; set and not in the future means a leaver.</summary>
    TerminationDate,

    /// <summary>The date the person was hired (tenure, for matching a comparison group).</summary>
    HireDate,

    /// <summary>An occupation code: ISCO-08, SOC 2018 or O*NET-SOC.</summary>
    OccupationCode,
}

/// <summary>A named set of header names per column, for one HRIS's export.</summary>
public sealed record HrColumnProfile(string Name, IReadOnlyDictionary<HrColumn, string[]> Headers, string[] Signature);

/// <summary>
/// Column-map profiles: a generic export, and the field names of Workday (Entra inbound attributes), SuccessFactors
/// (OData User fields) and BambooHR (directory fields). Header names are compared normalised: case, spaces and
/// punctuation do not matter ("Employee ID", "employee_id" and "EmployeeID" are one name).
/// </summary>
public static class HrColumnProfiles
{
    /// <summary>A generic export; also the fallback for columns a specific profile does not name.</summary>
    public static HrColumnProfile Generic { get; } = new("generic", new Dictionary<HrColumn, string[]>
    {
        [HrColumn.EmployeeId] = ["employeeid", "empid", "employeenumber", "employeeno", "employeenum", "staffid", "staffnumber", "personnelnumber", "workerid", "personid", "hrid", "id"],
        [HrColumn.Email] = ["email", "emailaddress", "workemail", "mail", "businessemail"],
        [HrColumn.Upn] = ["upn", "userprincipalname", "username", "login", "loginname"],
        [HrColumn.DisplayName] = ["displayname", "fullname", "employeename", "name", "preferredname"],
        [HrColumn.FirstName] = ["firstname", "givenname", "forename"],
        [HrColumn.LastName] = ["lastname", "surname", "familyname"],
        [HrColumn.ManagerId] = ["managerid", "manageremployeeid", "supervisorid", "supervisoreid", "reportstoid", "managerreference", "manageruserid"],
        [HrColumn.JobTitle] = ["jobtitle", "title", "position", "positiontitle", "businesstitle", "jobrole", "role", "jobname"],
        [HrColumn.Department] = ["department", "dept", "departmentname", "orgunit", "organisationunit", "organizationunit"],
        [HrColumn.JobFamily] = ["jobfamily", "jobfamilyid", "jobfunction", "family"],
        [HrColumn.JobLevel] = ["joblevel", "level", "grade", "jobgrade", "band"],
        [HrColumn.Track] = ["track", "learningtrack", "cohorttrack"],
        [HrColumn.Status] = ["employmentstatus", "employeestatus", "status", "workerstatus"],
        [HrColumn.TerminatedFlag] = ["terminated", "statusterminated", "termd", "attrition", "leaver"],
        [HrColumn.ActiveFlag] = ["active", "isactive", "accountenabled"],
        [HrColumn.TerminationDate] = ["terminationdate", "dateoftermination", "statusterminationdate", "enddate", "leavingdate"],
        [HrColumn.HireDate] = ["hiredate", "dateofhire", "originalhiredate", "statushiredate", "startdate", "employmentstartdate", "datehired", "senioritydate"],
        [HrColumn.OccupationCode] = ["isco", "isco08", "iscocode", "isco08code", "soc", "soc2018", "soccode", "soc2018code", "onetsoc", "onetsoccode", "onetsoc2019", "occupationcode", "jobclassification", "jobclassificationcode"],
    }, []);

    /// <summary>Workday, by the attribute names of Microsoft's Workday inbound provisioning.</summary>
    public static HrColumnProfile Workday { get; } = new("workday", new Dictionary<HrColumn, string[]>
    {
        [HrColumn.EmployeeId] = ["employeeid"],
        [HrColumn.Email] = ["emailaddress"],
        [HrColumn.FirstName] = ["preferredfirstname", "firstname"],
        [HrColumn.LastName] = ["preferredlastname", "lastname"],
        [HrColumn.ManagerId] = ["managerreference"],
        [HrColumn.JobTitle] = ["businesstitle", "positiontitle"],
        [HrColumn.JobFamily] = ["jobfamilyid"],
        [HrColumn.ActiveFlag] = ["active"],
        [HrColumn.TerminatedFlag] = ["statusterminated"],
        [HrColumn.TerminationDate] = ["statusterminationdate"],
        [HrColumn.HireDate] = ["statushiredate", "statusoriginalhiredate"],
    }, ["businesstitle", "statusterminated", "managerreference", "statushiredate", "jobfamilyid"]);

    /// <summary>SuccessFactors, by the OData v2 User entity's fields.</summary>
    public static HrColumnProfile SuccessFactors { get; } = new("successfactors", new Dictionary<HrColumn, string[]>
    {
        [HrColumn.EmployeeId] = ["userid", "personidexternal"],
        [HrColumn.Upn] = ["username"],
        [HrColumn.DisplayName] = ["displayname"],
        [HrColumn.Email] = ["email"],
        [HrColumn.Department] = ["department"],
        [HrColumn.JobTitle] = ["title"],
        [HrColumn.JobLevel] = ["joblevel"],
        [HrColumn.ManagerId] = ["manageruserid"],
        [HrColumn.Status] = ["status"],
    }, ["userid", "manageruserid", "managerdisplayname", "paygrade", "division"]);

    /// <summary>BambooHR, by the employee directory's fields.</summary>
    public static HrColumnProfile BambooHr { get; } = new("bamboohr", new Dictionary<HrColumn, string[]>
    {
        [HrColumn.EmployeeId] = ["employeeid", "employeenumber", "id"],
        [HrColumn.DisplayName] = ["displayname"],
        [HrColumn.FirstName] = ["preferredname", "firstname"],
        [HrColumn.LastName] = ["lastname"],
        [HrColumn.Email] = ["workemail"],
        [HrColumn.JobTitle] = ["jobtitle"],
        [HrColumn.Department] = ["department"],
        [HrColumn.Status] = ["status"],
        [HrColumn.ManagerId] = ["supervisoreid", "supervisorid"],
    }, ["workemail", "photouploaded", "canuploadphoto", "workphoneextension", "photourl"]);

    /// <summary>Every profile by name.</summary>
    public static IReadOnlyDictionary<string, HrColumnProfile> ByName { get; } =
        new[] { Generic, Workday, SuccessFactors, BambooHr }.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The profile whose signature columns the header holds most of; generic when none.</summary>
    public static HrColumnProfile Detect(IEnumerable<string> header)
    {
        var names = header.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        HrColumnProfile best = Generic;
        int bestScore = 0;
        foreach (HrColumnProfile profile in new[] { Workday, SuccessFactors, BambooHr })
        {
            int score = profile.Signature.Count(names.Contains);
            if (score > bestScore)
            {
                (best, bestScore) = (profile, score);
            }
        }

        return best;
    }

    /// <summary>A header name compared without case, spaces, punctuation or control characters.</summary>
    public static string Normalize(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var text = new StringBuilder(header.Length);
        foreach (char c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }
}
