using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Summit.LocalHost;

/// <summary>
/// Runs one function the way the isolated worker does: a new instance of its class from DI (in a scope per
/// invocation), parameters bound from the trigger, the result written back. One run of a timer function at a time,
/// like the host's singleton lock for timers.
/// </summary>
public sealed partial class FunctionInvoker(IServiceScopeFactory scopes, TimeProvider time, ILogger<FunctionInvoker> logger)
{
    private readonly Dictionary<string, SemaphoreSlim> _timerLocks = new(StringComparer.OrdinalIgnoreCase);

    public async Task InvokeHttpAsync(FunctionDefinition function, HttpContext context)
    {
        var arguments = function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => (object?)context.Request,
            var t when t == typeof(HttpContext) => context,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            _ => context.Request.RouteValues.TryGetValue(p.Name!, out var v) ? v?.ToString()
                : context.Request.Query.TryGetValue(p.Name!, out var q) ? q.ToString() : null,
        }).ToArray();
        var result = await InvokeAsync<IActionResult>(function, context.RequestServices, arguments);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    /// <summary>Runs a timer function now and waits for it to finish. Exceptions are logged and rethrown.</summary>
    public async Task InvokeTimerAsync(FunctionDefinition function, bool isPastDue, ScheduleStatus? status, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_timerLocks)
        {
            if (!_timerLocks.TryGetValue(function.Name, out gate!)) _timerLocks[function.Name] = gate = new SemaphoreSlim(1, 1);
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var timer = new TimerInfo { IsPastDue = isPastDue, ScheduleStatus = status };
            var arguments = function.Method.GetParameters().Select(p => p.ParameterType == typeof(TimerInfo) ? timer : (object)cancellationToken).ToArray();
            await InvokeAsync<object>(function, scope.ServiceProvider, arguments);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<T> InvokeAsync<T>(FunctionDefinition function, IServiceProvider services, object?[] arguments) where T : class
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = time.GetTimestamp();
        LogExecuting(logger, function.Name, invocationId);
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Class);
        try
        {
            object? returned;
            try
            {
                returned = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
            var result = returned switch
            {
                Task<IActionResult> task => await task,
                ValueTask<IActionResult> task => await task,
                Task task => await Done(task),
                ValueTask task => await Done(task.AsTask()),
                _ => returned,
            };
            LogExecuted(logger, function.Name, invocationId, "Succeeded", time.GetElapsedTime(started).TotalMilliseconds);
            return (result as T)!;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, function.Name, invocationId, time.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    private static async Task<object?> Done(Task task)
    {
        await task;
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing '{Function}' (Id={InvocationId})")]
    private static partial void LogExecuting(ILogger logger, string function, string invocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed '{Function}' ({Outcome}, Id={InvocationId}, Duration={Milliseconds:0}ms)")]
    private static partial void LogExecuted(ILogger logger, string function, string invocationId, string outcome, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed '{Function}' (Failed, Id={InvocationId}, Duration={Milliseconds:0}ms)")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string invocationId, double milliseconds);
}
