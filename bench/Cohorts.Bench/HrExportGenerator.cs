using System.Globalization;
using System.Text;

namespace Cohorts.Bench;

/// <summary>Writes a synthetic HR export: the shape of a generic export, realistic titles, 6% leavers, a few quoted fields.</summary>
public static class HrExportGenerator
{
    private static readonly string[] Titles =
    [
        "Data Scientist", "Business Analyst", "Claims Associate", "Compliance Officer", "VP Operations", "LLM Engineer",
        "Software Engineer", "Product Manager", "Claims Team Lead", "Sales Representative", "Production Technician I",
        "IT Support", "Director of Sales", "Risk Analyst", "Administrative Assistant", "Manager",
    ];

    private static readonly string[] Departments = ["Claims", "Analytics", "Risk", "Operations", "Sales", "Platform", "Finance, Legal and Audit"];

    /// <summary>Writes an export of <paramref name="rows"/> rows to the temp folder once, and returns its path.</summary>
    public static string Ensure(int rows)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cohorts-bench-hr-{rows}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        var random = new Random(rows);
        using var writer = new StreamWriter(path + ".tmp", false, new UTF8Encoding(false), 1 << 16);
        writer.Write("employee_id,email,first_name,last_name,job_title,department,manager_id,status\n");
        for (int i = 1; i <= rows; i++)
        {
            string department = Departments[random.Next(Departments.Length)];
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"E{i:0000000},person{i}@example.com,First{i % 997},Last{i % 1009},{Titles[random.Next(Titles.Length)]},{(department.Contains(',', StringComparison.Ordinal) ? "\"" + department + "\"" : department)},E{random.Next(1, rows + 1):0000000},{(random.Next(100) < 6 ? "Terminated" : "Active")}\n"));
        }

        writer.Close();
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }
}
