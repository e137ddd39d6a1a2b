package dev.parley.server;

/**
 * One configuration option: its CLI flag, environment variable and YAML key are all derived
 * from {@link #name()}, so the three sources can never disagree on spelling.
 */
record Option(String name, String defaultValue, String description) {

    /** {@code --name} on the command line. */
    String flag() {
        return "--" + name;
    }

    /** {@code PARLEY_NAME} in the environment, dashes become underscores. */
    String envVar() {
        return "PARLEY_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The same name is used as a top-level key in the YAML file. */
    String yamlKey() {
        return name;
    }
}
