namespace Akka.KubeEmu.Host.Launcher;

/// <summary>
/// The process names of a cluster's control planes: the first keeps the plain name scripts and
/// chaos commands have always used; the others are numbered from 2, as kubeadm's extra
/// control-plane nodes are.
/// </summary>
public static class ControlPlaneNames
{
    public const string First = "control-plane";

    /// <param name="index">1 for the first control plane.</param>
    public static string Of(int index) => index == 1 ? First : $"{First}-{index}";
}
