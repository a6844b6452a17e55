namespace Skyport.Web;

public static class Policies
{
    public const string Broker = "Broker";
}
