using Summit.Functions;
using OpenTelemetry.Trace;
using Summit.LocalHost;
using Summit.LocalHost.DeliveryEvents;
using Summit.LocalHost.DevIdentity;

// FOR LOCAL USE ONLY. Runs the function app's own functions with its own composition (AddSummitFunctions) on
// Kestrel and a cron loop, for machines without Azure Functions Core Tools. In Azure, the Functions host runs them.
var settingsFile = LocalSettings.Locate(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = Environments.Development });
LocalSettings.AddUnderneath(builder.Configuration, settingsFile);

var local = LocalHostOptions.From(builder.Configuration);
var functions = LocalFunctions.Create(typeof(AppComposition).Assembly, builder.Configuration, Path.Combine(AppContext.BaseDirectory, "host.json"));
if (local.ShiftableClock && functions.Timers.Any(t => !t.Disabled))
    throw new InvalidOperationException("LocalHost:ShiftableClock needs every timer disabled (AzureWebJobs.<Function>.Disabled=true): " +
        "moving the clock under a running timer would expire leases early.");
LocalHostOptions.ApplyLinkDefaults(builder.Configuration, local);
LocalHostOptions.ApplyAutomationKeys(builder.Configuration, local);
var eventSigner = LocalEventSigner.Configure(builder.Configuration, local);
var identity = DevIdentitySettings.Configure(builder.Configuration, local);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Parse(local.Address), local.Port));
if (!local.AllowRemote) builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]"; // no DNS rebinding into the API or the outbox
builder.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; console.UseUtcTimestamp = true; });
RedactingConsole.Use(builder.Services);

builder.Services.AddSummitFunctions(builder.Configuration);
builder.Services.AddLocalDeliveryEvents(local, eventSigner);
builder.Services.AddDevIdentity(identity, DevSigningKey.LoadOrCreate(local.DataFolder));
// Here Kestrel is the host, so its requests are the server spans (Telemetry:Exporter console or otlp; redacted like the rest).
builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddAspNetCoreInstrumentation());
if (local.ShiftableClock) builder.Services.AddSingleton<ShiftedClock>().AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ShiftedClock>());
builder.Services.AddMvcCore();
builder.Services.AddSingleton(local).AddSingleton(functions);
builder.Services.AddSingleton<FunctionInvoker>().AddSingleton<SampleData>();
builder.Services.AddHostedService<TimerScheduler>();

var app = builder.Build();
app.MapOutbox();
app.MapFunctions();
app.MapAdmin();
app.MapDeliveryEventHelper();
app.MapDevIdentity();
app.Lifetime.ApplicationStarted.Register(() => Banner.Print(app, local, functions, settingsFile, eventSigner));
app.Run();
