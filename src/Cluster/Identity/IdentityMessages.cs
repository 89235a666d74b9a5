namespace Akka.KubeEmu.Cluster.Identity;

/// <summary>
/// What a process asks a seed before it joins through it. <see cref="ClusterId"/> is null when
/// the asker has no identity yet (a fresh state directory): it then takes the seed's.
/// </summary>
public sealed record IdentityQuery(string? ClusterId, string Process, string StateDir) : IKubeEmuMessage;

/// <summary>A seed's answer: the identity of its cluster; the asker compares it with its own.</summary>
public sealed record IdentityAnswer(string ClusterId, string Process, string StateDir) : IKubeEmuMessage;
