using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Summit.Functions;
using Summit.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Logging.KeepUrlsOutOfLogs();
builder.Services.AddSummitFunctions(builder.Configuration);
builder.Build().Run();
