using Akka.Configuration;

namespace Akka.KubeEmu.Cluster.Serialization;

public static class SerializationConfig
{
    /// <summary>Binds <see cref="IKubeEmuMessage"/> to <see cref="KubeEmuSerializer"/> and names the catalogs to load.</summary>
    public static Config For(params Type[] catalogTypes)
    {
        var catalogs = string.Join(", ", catalogTypes.Select(t => $"\"{t.FullName}, {t.Assembly.GetName().Name}\""));
        return ConfigurationFactory.ParseString($$"""
            akka.actor {
              serializers.kubeemu = "{{typeof(KubeEmuSerializer).FullName}}, {{typeof(KubeEmuSerializer).Assembly.GetName().Name}}"
              serialization-bindings {
                "{{typeof(IKubeEmuMessage).FullName}}, {{typeof(IKubeEmuMessage).Assembly.GetName().Name}}" = kubeemu
              }
              serialization-identifiers {
                "{{typeof(KubeEmuSerializer).FullName}}, {{typeof(KubeEmuSerializer).Assembly.GetName().Name}}" = {{KubeEmuSerializer.SerializerId}}
              }
            }
            kubeemu.serialization.catalogs = [{{catalogs}}]
            """);
    }
}
