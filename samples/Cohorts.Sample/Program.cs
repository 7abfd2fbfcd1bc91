using Cohorts.Sample;

// dotnet run --project samples/Cohorts.Sample [-- output-folder]
// A cohort compressed to a minute: the corpus HR file enrolled, demonstrations reviewed (some late), outcome events
// reported as the minute passes, three checkpoints; the final report (HTML, CSV, JSON and each leader's .eml) is left
// in the output folder (default ./sample-report).
return await SampleCohort.RunAsync(args.FirstOrDefault() ?? "sample-report");
