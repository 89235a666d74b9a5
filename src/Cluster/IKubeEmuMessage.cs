namespace Akka.KubeEmu.Cluster;

/// <summary>
/// Marker for every message that may cross a process boundary or be written to the journal.
/// Such types are serialized by <see cref="Serialization.KubeEmuSerializer"/>, which only
/// accepts types registered in an <see cref="Serialization.IMessageCatalog"/>.
/// </summary>
public interface IKubeEmuMessage;
