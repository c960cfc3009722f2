using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Summit.LocalHost.DevIdentity;

namespace Summit.LocalHost.Tests;

/// <summary>
/// The local sign-in gives anyone any role, operator included, so it answers only callers on this machine, even when
/// LocalHost:AllowRemote opens the API to the network (a security review got an operator token from another address).
/// The check is the connection's remote address, which Kestrel sets; tests on one machine cannot open a connection from
/// another address, so this proves the rule on the request the endpoints see.
/// </summary>
public sealed class DevIdentityReachTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.2", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("::ffff:192.0.2.2", false)]
    [InlineData("2001:db8::1", false)]
    public void OnlyThisMachineMaySignIn(string address, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Path = "/local-identity/authorize";
        var refused = DevIdentityEndpoints.NotFromThisMachine(context);
        if (allowed) Assert.Null(refused);
        else
        {
            var problem = Assert.IsType<ObjectResult>(refused);
            Assert.Equal(403, problem.StatusCode);
        }
    }

    [Fact]
    public void AConnectionWithoutAnAddressIsNotThisMachine() => Assert.NotNull(DevIdentityEndpoints.NotFromThisMachine(new DefaultHttpContext()));
}
