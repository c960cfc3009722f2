using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Summit.TestSupport.LocalHost;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The anonymous participant link POST reads a form of at most 32 KB with few fields, whether the body has a
/// Content-Length or comes chunked: anything bigger is a 413, too many fields a 400, both RFC 9457 problem details
/// naming "body", and nothing stored changes. Over real HTTP against the local host process.
/// </summary>
public sealed class ParticipantLinkFormTests : IAsyncLifetime
{
    private readonly LocalHostProcess _host = Paths.NewLocalHost();
    private Uri _link = null!;
    private Uri _unsubscribe = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        // These tests compare storage before and after a request: the local delivery-event loop would write status rows
        // meanwhile, in the background (DeliveryEventsTests covers it).
        _host.Settings["LocalHost__PickupEvents"] = "false";
        await _host.StartAsync();
        await Invitations.SendAsync(_host);
        _link = Invitations.Link(_host, "acknowledge");
        _unsubscribe = Invitations.Link(_host, "unsubscribe");
        _token = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(_link.Query)["token"].ToString();
        Assert.NotEmpty(_token);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>A body of unknown length: HttpClient sends it chunked, with no Content-Length.</summary>
    private sealed class ChunkedContent(IEnumerable<string> pieces) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var piece in pieces) await stream.WriteAsync(Encoding.UTF8.GetBytes(piece));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static ChunkedContent Form(IEnumerable<string> pieces, string contentType = "application/x-www-form-urlencoded") =>
        new(pieces) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

    private async Task<HttpResponseMessage> PostAsync(string pathAndQuery, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = content };
        return await _host.Http.SendAsync(request);
    }

    public static TheoryData<string> Refused() => new(Cases.Keys);

    /// <summary>Each case carries the valid token first: only the form's size or shape can be the reason to refuse it.</summary>
    private static readonly Dictionary<string, (int Status, string Type, Func<string, HttpContent> Content)> Cases = new()
    {
        ["a chunked 23 MB form"] = (413, "payload-too-large",
            token => Form(new[] { $"token={Uri.EscapeDataString(token)}&pad=" }.Concat(Enumerable.Repeat(new string('a', 64 * 1024), 23 * 16)))),
        ["a chunked form of 5,000 fields"] = (413, "payload-too-large",
            token => Form(new[] { $"token={Uri.EscapeDataString(token)}" }.Concat(Enumerable.Range(0, 5_000).Select(i => $"&f{i}=1")))),
        ["a chunked form of 32 KB and one byte"] = (413, "payload-too-large",
            token => Form([$"token={Uri.EscapeDataString(token)}&pad=".PadRight(32 * 1024 + 1, 'a')])),
        ["a form of 32 KB and one byte with its Content-Length"] = (413, "payload-too-large",
            token => new StringContent($"token={Uri.EscapeDataString(token)}&pad=".PadRight(32 * 1024 + 1, 'a'), Encoding.UTF8, "application/x-www-form-urlencoded")),
        ["a chunked form of 200 small fields"] = (400, "validation-error",
            token => Form(new[] { $"token={Uri.EscapeDataString(token)}" }.Concat(Enumerable.Range(0, 200).Select(i => $"&f{i}=1")))),
        ["a chunked multipart form of 40 KB"] = (413, "payload-too-large",
            token => Form(["--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n", token, "\r\n--b\r\nContent-Disposition: form-data; name=\"pad\"\r\n\r\n",
                new string('a', 40_000), "\r\n--b--\r\n"], "multipart/form-data; boundary=b")),
        ["a multipart form of 40 fields"] = (400, "validation-error",
            token => Form(Enumerable.Range(0, 40).Select(i => $"--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n1\r\n").Append("--b--\r\n"),
                "multipart/form-data; boundary=b")),
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task IsRefusedWithProblemDetailsNamingTheBodyAndChangesNothing(string name)
    {
        var (status, type, content) = Cases[name];
        var before = await _host.StorageSnapshotAsync();

        var response = await PostAsync(_link.AbsolutePath, content(_token));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {text[..Math.Min(text.Length, 2000)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("https://summit-followups.example/problems/" + type, problem.GetProperty("type").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal("body", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await _host.StorageSnapshotAsync());
        Assert.False(_host.HasExited, "The local host stopped:\n" + _host.Output);
    }

    [Fact]
    public async Task AChunkedFormWithTheTokenStillAcknowledgesAndAOneClickUnsubscribeStillWorks()
    {
        var before = await _host.StorageSnapshotAsync();
        var acknowledged = await PostAsync(_link.AbsolutePath, Form([$"token={Uri.EscapeDataString(_token)}"]));
        var page = await acknowledged.Content.ReadAsStringAsync();
        Assert.True(acknowledged.StatusCode == HttpStatusCode.OK, $"{(int)acknowledged.StatusCode}: {page}");
        Assert.Equal("text/html", acknowledged.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(before, await _host.StorageSnapshotAsync());

        // RFC 8058 one-click: the token in the URL, "List-Unsubscribe=One-Click" as a multipart body (what mail clients send).
        var oneClick = await PostAsync(_unsubscribe.PathAndQuery, Form(["--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n"],
            "multipart/form-data; boundary=b"));
        Assert.True(oneClick.StatusCode == HttpStatusCode.OK, $"{(int)oneClick.StatusCode}: {await oneClick.Content.ReadAsStringAsync()}");
    }
}
