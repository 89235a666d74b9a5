using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Akka.KubeEmu.Host.ApiServer.Tls;

/// <summary>
/// The cluster CA and the API server's serving certificate, kept as PEM files in
/// <c>&lt;state-dir&gt;/pki</c> like kubeadm's /etc/kubernetes/pki. kubectl (client-go) sends bearer
/// tokens only over TLS, and verifies the server against the CA in the kubeconfig.
/// </summary>
public static class ServingCertificates
{
    public static string Directory(string stateDir) => Path.Combine(stateDir, "pki");

    public static string CaPath(string stateDir) => Path.Combine(Directory(stateDir), "ca.crt");

    /// <summary>Loads the serving certificate, creating the CA and certificate when missing or not covering <paramref name="address"/>.</summary>
    public static X509Certificate2 Ensure(string stateDir, string address)
    {
        var dir = Directory(stateDir);
        System.IO.Directory.CreateDirectory(dir);
        var caCrt = CaPath(stateDir);
        var caKey = Path.Combine(dir, "ca.key");
        var crt = Path.Combine(dir, "apiserver.crt");
        var key = Path.Combine(dir, "apiserver.key");

        if (!File.Exists(caCrt) || !File.Exists(caKey)) CreateCa(caCrt, caKey);
        if (File.Exists(crt) && File.Exists(key))
        {
            var existing = X509Certificate2.CreateFromPemFile(crt, key);
            if (existing.NotAfter > DateTime.UtcNow.AddDays(1) && Covers(existing, address)) return existing;
        }
        using var ca = X509Certificate2.CreateFromPemFile(caCrt, caKey);
        CreateServing(ca, address, crt, key);
        return X509Certificate2.CreateFromPemFile(crt, key);
    }

    private static void CreateCa(string crtPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubeemu-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        WritePem(crtPath, cert.ExportCertificatePem(), keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static void CreateServing(X509Certificate2 ca, string address, string crtPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
            san.AddDnsName(dns);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(address, out var ip) && !IPAddress.IsLoopback(ip) && !ip.Equals(IPAddress.Any)) san.AddIpAddress(ip);
        else if (!IPAddress.TryParse(address, out _)) san.AddDnsName(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = DateTimeOffset.UtcNow.AddYears(1);
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, serial);
        WritePem(crtPath, cert.ExportCertificatePem() + "\n" + ca.ExportCertificatePem(), keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static bool Covers(X509Certificate2 cert, string address)
    {
        if (!IPAddress.TryParse(address, out var ip) || IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any)) return true;
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return san?.EnumerateIPAddresses().Contains(ip) == true;
    }

    private static void WritePem(string crtPath, string crt, string keyPath, string key)
    {
        File.WriteAllText(crtPath, crt + "\n");
        File.WriteAllText(keyPath, key + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
