using System.Net;
using System.Net.Sockets;

namespace Summit.TestSupport;

/// <summary>Loopback ports for processes the tests start.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts connections on the port.</summary>
    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
