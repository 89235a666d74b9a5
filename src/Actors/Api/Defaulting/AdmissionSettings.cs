namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <param name="DefaultTolerationSeconds">What the DefaultTolerationSeconds admission plugin gives pods for not-ready/unreachable nodes.</param>
public sealed record AdmissionSettings(long DefaultTolerationSeconds = 300);
