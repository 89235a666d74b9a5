namespace Akka.KubeEmu.Actors.Store;

public static class WatchEventVersion
{
    /// <summary>The metadata.resourceVersion of the event's object, where a watch resumes after it.</summary>
    public static string? ResourceVersion(this WatchEvent ev)
    {
        // The metadata.resourceVersion of the event's object, without parsing the whole object.
        var reader = new System.Text.Json.Utf8JsonReader(ev.Object.Utf8);
        var depth = 0;
        var inMetadata = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case System.Text.Json.JsonTokenType.StartObject or System.Text.Json.JsonTokenType.StartArray:
                    depth++;
                    break;
                case System.Text.Json.JsonTokenType.EndObject or System.Text.Json.JsonTokenType.EndArray:
                    depth--;
                    if (inMetadata && depth == 1) return null;
                    break;
                case System.Text.Json.JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("metadata"):
                    inMetadata = true;
                    break;
                case System.Text.Json.JsonTokenType.PropertyName when depth == 2 && inMetadata && reader.ValueTextEquals("resourceVersion"):
                    reader.Read();
                    return reader.GetString();
                case System.Text.Json.JsonTokenType.PropertyName when depth == 1:
                    reader.Skip();
                    break;
            }
        }
        return null;
    }
}
