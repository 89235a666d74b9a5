using System.Security.Cryptography;

namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// The key that signs ServiceAccount and user tokens (kubeadm's sa.key), a P-256 key in a 0600 PEM
/// file of the state directory: every control-plane process and `kubeemu kubeconfig` read the same
/// key, so a token issued by one is verified by all, and survives restarts.
/// </summary>
public static class SigningKey
{
    public static string PathIn(string stateDir) => Path.Combine(stateDir, "sa.key");

    public static ECDsa ReadOrCreate(string stateDir)
    {
        var path = PathIn(stateDir);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(stateDir);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(tmp, fresh.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Two control planes starting together: the first key written wins, the other reads it.
            try { File.Move(tmp, path, overwrite: false); }
            catch (IOException) { File.Delete(tmp); }
        }
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
