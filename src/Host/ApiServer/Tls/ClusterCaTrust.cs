using System.Security.Cryptography.X509Certificates;

namespace Akka.KubeEmu.Host.ApiServer.Tls;

/// <summary>Certificate validation against the cluster CA alone, as kubectl does with certificate-authority-data.</summary>
public static class ClusterCaTrust
{
    public static Func<X509Certificate2?, bool> Validator(string caPem)
    {
        var ca = X509Certificate2.CreateFromPem(caPem);
        return cert =>
        {
            if (cert is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(cert);
        };
    }
}
