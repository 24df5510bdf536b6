/// ASXHCore: the pure domain of the cashless social-security campaign.
public enum ASXHCore {}
