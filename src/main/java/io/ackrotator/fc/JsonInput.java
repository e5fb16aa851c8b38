package io.ackrotator.fc;

import com.fasterxml.jackson.databind.JsonNode;
import io.ackrotator.ack.ClusterId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reading of a JSON request body. Unknown fields are refused: a misspelt {@code dryrun} must not turn a dry
 * run into a real rotation. Every error names the field.
 */
public final class JsonInput {

    private static final java.util.regex.Pattern KUBESPHERE_NAME = java.util.regex.Pattern.compile(
            "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final JsonNode node;

    private JsonInput(JsonNode node) {
        this.node = node;
    }

    /** {@code null} or an empty body stands for {}. */
    public static JsonInput of(JsonNode body, Set<String> allowedFields) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new JsonInput(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!body.isObject()) {
            throw new BadRequestException("body", "body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                throw new BadRequestException(fieldName(name), "unknown field '" + fieldName(name) + "'; expected "
                        + String.join(", ", allowedFields.stream().sorted().toList()));
            }
        }
        return new JsonInput(body);
    }

    public boolean bool(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException(field, field + " must be true or false");
        }
        return value.booleanValue();
    }

    public Optional<String> text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field, field + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    public Optional<Long> wholeNumber(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadRequestException(field, field + " must be a whole number");
        }
        return Optional.of(value.longValue());
    }

    public List<String> strings(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new BadRequestException(field, field + " must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new BadRequestException(field + "[" + i + "]", field + "[" + i + "] must be a string");
            }
            strings.add(value.get(i).textValue());
        }
        return strings;
    }

    /** KubeSphere Cluster names (DNS labels), each checked, the bad one named by its index. */
    public List<String> kubesphereNames(String field) {
        List<String> names = strings(field);
        for (int i = 0; i < names.size(); i++) {
            if (!KUBESPHERE_NAME.matcher(names.get(i)).matches()) {
                throw new BadRequestException(field + "[" + i + "]", field + "[" + i + "] must be a KubeSphere "
                        + "cluster name (lowercase letters, digits and '-', at most 63)");
            }
        }
        return names;
    }

    public List<ClusterId> clusterIds(String field) {
        List<String> values = strings(field);
        List<ClusterId> ids = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ids.add(clusterId(field + "[" + i + "]", values.get(i)));
        }
        return ids;
    }

    public static ClusterId clusterId(String field, String value) {
        try {
            return ClusterId.of(value);
        } catch (ClusterId.InvalidClusterIdException e) {
            throw new BadRequestException(field, e.getMessage().replaceFirst("^clusterId", field));
        }
    }

    /** Field names are echoed in errors; keep them short and printable. */
    private static String fieldName(String name) {
        String printable = name.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
